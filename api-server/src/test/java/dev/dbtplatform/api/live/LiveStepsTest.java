package dev.dbtplatform.api.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.dbtplatform.api.runs.StepResult;
import dev.dbtplatform.contract.StepStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveStepsTest {
  static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
  static final List<String> COMMANDS = List.of("dbt seed", "dbt build");

  static LoggedStep running(int index, String name, String log) {
    return new LoggedStep(index, name, T0, null, StepStatus.Running, null, log);
  }

  static LoggedStep succeeded(int index, String name, Integer exitCode) {
    return new LoggedStep(index, name, T0, T0.plusSeconds(3), StepStatus.Succeeded, exitCode, "done\n");
  }

  @Test
  void beforeAnyStepStartedEveryStepIsQueuedAsTheRuntimeWillNumberIt() {
    LiveRun run = LiveSteps.of(0, List.of(), COMMANDS, "postgres");

    assertThat(run.steps()).extracting(StepResult::index, StepResult::name, StepResult::command, StepResult::status)
        .containsExactly(
            tuple(1, "Clone git repository", null, "Queued"),
            tuple(2, "Create profile from connection postgres", null, "Queued"),
            tuple(3, "Invoke dbt with `dbt seed`", "dbt seed", "Queued"),
            tuple(4, "Invoke dbt with `dbt build`", "dbt build", "Queued"));
    assertThat(run.logs()).isEmpty();
  }

  @Test
  void startedStepsShowTheirStatusAndLogAndTheOthersAreQueued() {
    LiveRun run = LiveSteps.of(5, List.of(
        succeeded(1, "Clone git repository", null),
        succeeded(2, "Create profile from connection postgres", null),
        running(3, "Invoke dbt with `dbt deps`", "Installing dbt_utils\n")), COMMANDS, "postgres");

    assertThat(run.steps()).extracting(StepResult::index, StepResult::command, StepResult::status)
        .containsExactly(
            tuple(1, null, "Succeeded"),
            tuple(2, null, "Succeeded"),
            tuple(3, "dbt deps", "Running"),
            tuple(4, "dbt seed", "Queued"),
            tuple(5, "dbt build", "Queued"));
    assertThat(run.steps().get(0).startedAt()).isEqualTo("2025-03-01T12:00:00Z");
    assertThat(run.steps().get(0).finishedAt()).isEqualTo("2025-03-01T12:00:03Z");
    assertThat(run.steps().get(2).finishedAt()).isNull();
    assertThat(run.log(3)).isEqualTo("Installing dbt_utils\n");
    assertThat(run.log(4)).isNull();
  }

  @Test
  void whileTheCloneRunsTheProfileStepToComeIsNamedByTheWarehouse() {
    LiveRun run = LiveSteps.of(4, List.of(running(1, "Clone git repository", "Cloning\n")), COMMANDS, "snowflake");

    assertThat(run.steps().get(1).name()).isEqualTo("Create profile from connection snowflake");
    assertThat(run.steps().get(1).status()).isEqualTo("Queued");
  }

  @Test
  void stepsBeforeTheOldestOutputInTheLogSucceededAndSaySoInTheirLog() {
    LiveRun run = LiveSteps.of(4, List.of(
        new LoggedStep(3, null, null, T0, StepStatus.Succeeded, 0, "the end of seed\n"),
        running(4, "Invoke dbt with `dbt build`", "")), COMMANDS, "postgres");

    assertThat(run.steps()).extracting(StepResult::name, StepResult::status).containsExactly(
        tuple("Clone git repository", "Succeeded"),
        tuple("Create profile from connection postgres", "Succeeded"),
        tuple("Invoke dbt with `dbt seed`", "Succeeded"),
        tuple("Invoke dbt with `dbt build`", "Running"));
    assertThat(run.log(1)).isEqualTo(LiveSteps.OUTPUT_GONE);
    assertThat(run.log(3)).isEqualTo("the end of seed\n");
    assertThat(run.steps().get(2).exitCode()).isZero();
  }

  @Test
  void aFailedRunShowsItsSkippedSteps() {
    LiveRun run = LiveSteps.of(4, List.of(
        new LoggedStep(3, "Invoke dbt with `dbt seed`", T0, T0, StepStatus.Failed, 1, "Database Error\n"),
        new LoggedStep(4, null, null, T0, StepStatus.Skipped, null, "")), COMMANDS, "postgres");

    assertThat(run.steps()).extracting(StepResult::status).containsExactly("Succeeded", "Succeeded", "Failed", "Skipped");
    assertThat(run.steps().get(3).name()).isEqualTo("Invoke dbt with `dbt build`");
  }
}
