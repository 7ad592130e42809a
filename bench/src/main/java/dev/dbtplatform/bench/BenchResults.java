package dev.dbtplatform.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Everything one run of the benchmarks measured, a section per benchmark that ran, in number order. */
public record BenchResults(BenchSettings settings, Machine machine, double loadAtStart, Instant startedAt, Duration took,
                           List<BenchSection> sections) {
  public BenchSection section(int number) {
    return sections.stream().filter(s -> s.number() == number).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("benchmark " + number + " did not run"));
  }
}
