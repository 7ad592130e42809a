package dev.dbtplatform.bench.scheduler;

import dev.dbtplatform.bench.scheduler.RunSightings.Sighting;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fires of one kind of run (the scheduler's, or the limit's) counted against what the window
 * expects: every source (job, or probe) at every fire.
 *
 * @param expected sources times fires
 * @param seen expected fires with at least one run
 * @param missed expected fires with no run by the end of the window
 * @param duplicated expected fires with more than one run (or the same run sighted twice)
 * @param unexpected runs for a fire inside the window that no expected source should have made
 * @param skews time from each fire seen to the sighting of its first run
 */
record FireTally(int expected, int seen, int missed, int duplicated, int unexpected, Skews skews) {
  private record Key(String source, Instant fire) {}

  static FireTally of(List<Sighting> sightings, boolean probes, List<String> sources, List<Instant> fires) {
    Map<Key, List<Sighting>> byFire = new HashMap<>();
    for (Sighting s : sightings) {
      if (s.probe() == probes) {
        byFire.computeIfAbsent(new Key(s.source(), s.fire()), k -> new ArrayList<>()).add(s);
      }
    }
    int seen = 0, missed = 0, duplicated = 0;
    List<Double> skews = new ArrayList<>();
    Set<Key> expectedKeys = new HashSet<>();
    for (String source : sources) {
      for (Instant fire : fires) {
        Key key = new Key(source, fire);
        expectedKeys.add(key);
        List<Sighting> runs = byFire.getOrDefault(key, List.of());
        if (runs.isEmpty()) {
          missed++;
          continue;
        }
        seen++;
        if (runs.size() > 1) {
          duplicated++;
        }
        Instant first = runs.stream().map(Sighting::seen).min(Instant::compareTo).orElseThrow();
        skews.add(Duration.between(fire, first).toNanos() / 1e6);
      }
    }
    Instant from = fires.isEmpty() ? Instant.MAX : fires.get(0);
    Instant to = fires.isEmpty() ? Instant.MIN : fires.get(fires.size() - 1);
    int unexpected = 0;
    for (Map.Entry<Key, List<Sighting>> e : byFire.entrySet()) {
      Instant fire = e.getKey().fire();
      if (!fire.isBefore(from) && !fire.isAfter(to) && !expectedKeys.contains(e.getKey())) {
        unexpected += e.getValue().size();
      }
    }
    return new FireTally(sources.size() * fires.size(), seen, missed, duplicated, unexpected, Skews.of(skews));
  }

  String figures() {
    return String.format("%s; %d/%d fires seen, %d missed, %d duplicated", skews.figures(), seen, expected, missed,
        duplicated);
  }
}
