package dev.dbtplatform.bench;

import dev.dbtplatform.bench.api.ApiBench;
import dev.dbtplatform.bench.flush.FlushResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Everything one run of the benchmarks measured; a benchmark that did not run is null. */
public record BenchResults(BenchSettings settings, Machine machine, double loadAtStart, Instant startedAt, Duration took,
                           ApiBench.Outcome api, List<FlushResult> flush) {}
