package dev.dbtplatform.bench.prep;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One platform run's moments, as seconds after the API trigger was sent, with the first line dbt
 * printed and the dbt command it belongs to. A moment that was not observed is missing.
 */
record PlatformTimeline(String runName, Map<PrepPhase, Double> seconds, String dbtCommand, String dbtFirstLine) {

  static PlatformTimeline of(String runName, Instant triggered, Map<PrepPhase, Instant> moments, String dbtCommand,
      String dbtFirstLine) {
    Map<PrepPhase, Double> seconds = new EnumMap<>(PrepPhase.class);
    moments.forEach((phase, at) -> seconds.put(phase, Duration.between(triggered, at).toNanos() / 1e9));
    return new PlatformTimeline(runName, seconds, dbtCommand, dbtFirstLine);
  }

  /** From the trigger to dbt's first line: what the benchmark compares with running dbt directly. */
  double total() {
    return seconds.get(PrepPhase.DBT_FIRST_LINE);
  }

  Optional<Double> at(PrepPhase phase) {
    return Optional.ofNullable(seconds.get(phase));
  }

  /** The dbt command as a command line: {@code dbt deps} becomes ["dbt", "deps"]. */
  List<String> dbtArguments() {
    return List.of(dbtCommand.trim().split("\\s+"));
  }
}
