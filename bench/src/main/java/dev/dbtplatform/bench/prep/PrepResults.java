package dev.dbtplatform.bench.prep;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What the prep benchmark measured: the platform's timelines and the direct runs' seconds to the
 * first line, warm-ups apart, and how long the platform took to start.
 */
record PrepResults(double startupSeconds, List<PlatformTimeline> platformWarmups, List<Double> directWarmups,
                   List<PlatformTimeline> platformRuns, List<Double> directRuns) {

  Spread platform() {
    return Spread.of(platformRuns.stream().map(PlatformTimeline::total).toList());
  }

  Spread direct() {
    return Spread.of(directRuns);
  }

  /**
   * From the runtime starting the dbt step to dbt's first line: dbt's own start inside the
   * platform, to set beside the direct runs'. The runtime stamps the first, this benchmark sees the
   * second; both on the same clock.
   */
  Spread dbtInPlatform() {
    return Spread.of(platformRuns.stream().filter(t -> t.at(PrepPhase.DBT_STARTED).isPresent())
        .map(t -> t.total() - t.at(PrepPhase.DBT_STARTED).get()).toList());
  }

  /** The platform's time less dbt's own: the medians' difference. */
  double overhead() {
    return platform().median() - direct().median();
  }

  /** Each observed moment's spread over the measured runs, in seconds after the trigger. */
  Map<PrepPhase, Spread> phases() {
    Map<PrepPhase, Spread> phases = new EnumMap<>(PrepPhase.class);
    for (PrepPhase phase : PrepPhase.values()) {
      List<Double> seconds = platformRuns.stream().flatMap(t -> t.at(phase).stream()).toList();
      if (!seconds.isEmpty()) {
        phases.put(phase, Spread.of(seconds));
      }
    }
    return phases;
  }

  /** The dbt command whose first line was awaited, and the line itself, from the last run. */
  PlatformTimeline last() {
    return platformRuns.get(platformRuns.size() - 1);
  }
}
