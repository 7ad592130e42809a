package dev.dbtplatform.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StepMarkersTest {
  static final Instant AT = Instant.parse("2025-03-01T12:00:01.250Z");

  @Test
  void startedLinesReadAsTheyAreWrittenAndParseBack() {
    String line = StepMarkers.started(4, 5, "Invoke dbt with `dbt run --vars '{\"a\": 1}'`", AT);

    assertThat(line).isEqualTo(
        "::dbt-platform:: step 4/5 started at 2025-03-01T12:00:01.250Z: Invoke dbt with `dbt run --vars '{\"a\": 1}'`");
    assertThat(StepMarkers.parse(line)).contains(
        new StepMarkers.Started(4, 5, AT, "Invoke dbt with `dbt run --vars '{\"a\": 1}'`"));
  }

  @Test
  void finishedLinesCarryStatusAndExitCodeWhenThereIsOne() {
    String failed = StepMarkers.finished(4, 5, StepStatus.Failed, 1, AT);
    String skipped = StepMarkers.finished(5, 5, StepStatus.Skipped, null, AT);

    assertThat(failed).isEqualTo("::dbt-platform:: step 4/5 finished at 2025-03-01T12:00:01.250Z: Failed (exit code 1)");
    assertThat(skipped).isEqualTo("::dbt-platform:: step 5/5 finished at 2025-03-01T12:00:01.250Z: Skipped");
    assertThat(StepMarkers.parse(failed)).contains(new StepMarkers.Finished(4, 5, AT, StepStatus.Failed, 1));
    assertThat(StepMarkers.parse(skipped)).contains(new StepMarkers.Finished(5, 5, AT, StepStatus.Skipped, null));
    assertThat(StepMarkers.parse(StepMarkers.finished(3, 3, StepStatus.Cancelled, -15, AT)))
        .contains(new StepMarkers.Finished(3, 3, AT, StepStatus.Cancelled, -15));
  }

  @Test
  void timesKeepMillisecondsAndAWholeSecondStillParses() {
    Instant precise = Instant.parse("2025-03-01T12:00:01.123456789Z");
    Instant whole = Instant.parse("2025-03-01T12:00:01Z");

    assertThat(StepMarkers.parse(StepMarkers.started(1, 3, "Clone git repository", precise)).orElseThrow().at())
        .isEqualTo(Instant.parse("2025-03-01T12:00:01.123Z"));
    assertThat(StepMarkers.parse(StepMarkers.started(1, 3, "Clone git repository", whole)).orElseThrow().at())
        .isEqualTo(whole);
  }

  @Test
  void aNameWithALineBreakStaysOneLine() {
    String line = StepMarkers.started(3, 3, "Invoke dbt with `dbt run\n--select x`", AT);

    assertThat(line).doesNotContain("\n");
    assertThat(StepMarkers.parse(line).map(m -> ((StepMarkers.Started) m).name()))
        .contains("Invoke dbt with `dbt run --select x`");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "12:00:01  Running with dbt=1.8.0",
      "Step 4: Invoke dbt with `dbt seed`",
      " ::dbt-platform:: step 1/2 started at 2025-03-01T12:00:01Z: Clone git repository",
      "::dbt-platform:: step one/2 started at 2025-03-01T12:00:01Z: Clone git repository",
      "::dbt-platform:: step 1/2 started at yesterday: Clone git repository",
      "::dbt-platform:: step 1/2 finished at 2025-03-01T12:00:01Z: Exploded",
      "::dbt-platform:: step 1/2 finished at 2025-03-01T12:00:01Z: Failed (exit code 99999999999)",
      "::dbt-platform:: step 1/2 finished at 2025-03-01T12:00:01Z: Failed and more",
      "::dbt-platform:: step 1/2 paused at 2025-03-01T12:00:01Z: Clone git repository",
  })
  void anyOtherLineIsNoMarker(String line) {
    assertThat(StepMarkers.parse(line)).isEmpty();
  }

  @Test
  void nullIsNoMarker() {
    assertThat(StepMarkers.parse(null)).isEmpty();
  }
}
