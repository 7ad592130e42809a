package dev.dbtplatform.api.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbtplatform.contract.StepMarkers;
import dev.dbtplatform.contract.StepStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodLogSplitterTest {
  static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

  static String started(int index, int total, String name) {
    return StepMarkers.started(index, total, name, T0.plusSeconds(index * 10L));
  }

  static String finished(int index, int total, StepStatus status, Integer exitCode) {
    return StepMarkers.finished(index, total, status, exitCode, T0.plusSeconds(index * 10L + 5));
  }

  static PodLogSplitter split(long maxChars, String... lines) {
    PodLogSplitter splitter = new PodLogSplitter(maxChars);
    for (String line : lines) {
      splitter.accept(line);
    }
    return splitter;
  }

  @Test
  void eachStepGetsTheLinesBetweenItsMarkersAndTheRuntimesOwnLinesAreDropped() {
    PodLogSplitter log = split(1_000_000,
        "12:00:00  Run 7 of default/nightly: 2 dbt command(s)",
        started(1, 4, "Clone git repository"),
        "12:00:10  Cloning https://git.example.com/shop.git",
        finished(1, 5, StepStatus.Succeeded, null),
        started(2, 5, "Create profile from connection postgres"),
        "12:00:20  Profile shop",
        finished(2, 5, StepStatus.Succeeded, null),
        started(3, 5, "Invoke dbt with `dbt deps`"),
        "12:00:30  Running with dbt=1.8.0",
        "12:00:31  Installing dbt_utils");

    assertThat(log.total()).isEqualTo(5);
    List<LoggedStep> steps = log.steps();
    assertThat(steps).extracting(LoggedStep::index).containsExactly(1, 2, 3);
    assertThat(steps.get(0)).isEqualTo(new LoggedStep(1, "Clone git repository", T0.plusSeconds(10), T0.plusSeconds(15),
        StepStatus.Succeeded, null, "12:00:10  Cloning https://git.example.com/shop.git\n"));
    assertThat(steps.get(1).log()).isEqualTo("12:00:20  Profile shop\n");
    assertThat(steps.get(2)).isEqualTo(new LoggedStep(3, "Invoke dbt with `dbt deps`", T0.plusSeconds(30), null,
        StepStatus.Running, null, "12:00:30  Running with dbt=1.8.0\n12:00:31  Installing dbt_utils\n"));
  }

  @Test
  void aStepThatNeverRanHasOnlyItsEndAndTheLinesAfterTheLastStepAreDropped() {
    PodLogSplitter log = split(1_000_000,
        started(3, 4, "Invoke dbt with `dbt run`"),
        "Database Error in model orders",
        finished(3, 4, StepStatus.Failed, 1),
        "12:00:40  Step 4 skipped: step 3 failed",
        finished(4, 4, StepStatus.Skipped, null),
        "12:00:41  Step 3 failed: Invoke dbt with `dbt run`: dbt exited with code 1");

    List<LoggedStep> steps = log.steps();
    assertThat(steps.get(0).status()).isEqualTo(StepStatus.Failed);
    assertThat(steps.get(0).exitCode()).isEqualTo(1);
    assertThat(steps.get(0).log()).isEqualTo("Database Error in model orders\n");
    assertThat(steps.get(1)).isEqualTo(new LoggedStep(4, null, null, T0.plusSeconds(45), StepStatus.Skipped, null, ""));
  }

  @Test
  void aLogThatStartsInsideAStepGivesItsFirstLinesToThatStep() {
    PodLogSplitter log = split(1_000_000,
        "12:01:00  4 of 9 OK created sql table model shop.orders",
        "12:01:02  Completed successfully",
        finished(4, 5, StepStatus.Succeeded, 0),
        started(5, 5, "Invoke dbt with `dbt test`"),
        "12:01:10  Running with dbt=1.8.0");

    List<LoggedStep> steps = log.steps();
    assertThat(steps).extracting(LoggedStep::index).containsExactly(4, 5);
    assertThat(steps.get(0).name()).isNull();
    assertThat(steps.get(0).startedAt()).isNull();
    assertThat(steps.get(0).log()).isEqualTo("[... the start of this step's output is no longer in the pod log ...]\n"
        + "12:01:00  4 of 9 OK created sql table model shop.orders\n12:01:02  Completed successfully\n");
    assertThat(steps.get(1).log()).isEqualTo("12:01:10  Running with dbt=1.8.0\n");
  }

  @Test
  void onlyTheNewestOutputIsKeptAndAStepSaysHowManyLinesAreNotShown() {
    // each line is 9 characters and a line break: 30 characters keep three lines
    PodLogSplitter log = split(30,
        started(1, 2, "Clone git repository"),
        "line 1-01",
        "line 1-02",
        finished(1, 2, StepStatus.Succeeded, null),
        started(2, 2, "Invoke dbt with `dbt build`"),
        "line 2-01",
        "line 2-02",
        "line 2-03",
        "line 2-04");

    List<LoggedStep> steps = log.steps();
    assertThat(steps.get(0).log()).isEqualTo("[... 2 earlier lines not shown ...]\n");
    assertThat(steps.get(1).log()).isEqualTo("[... 1 earlier line not shown ...]\nline 2-02\nline 2-03\nline 2-04\n");
  }

  @Test
  void aStepThatStartsAgainStartsOver() {
    PodLogSplitter log = split(1_000_000,
        started(1, 3, "Clone git repository"),
        finished(1, 3, StepStatus.Failed, null),
        started(1, 3, "Clone git repository"),
        "again");

    assertThat(log.steps()).singleElement().satisfies(step -> {
      assertThat(step.status()).isEqualTo(StepStatus.Running);
      assertThat(step.finishedAt()).isNull();
    });
  }

  @Test
  void markersOfImpossibleStepsAreIgnored() {
    PodLogSplitter log = split(1_000_000,
        StepMarkers.started(5000, 5000, "Invoke dbt with `dbt build`", T0),
        "printed by a model",
        StepMarkers.finished(0, 3, StepStatus.Succeeded, 0, T0));

    assertThat(log.steps()).isEmpty();
    assertThat(log.total()).isZero();
  }
}
