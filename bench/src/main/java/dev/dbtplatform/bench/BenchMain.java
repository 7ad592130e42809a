package dev.dbtplatform.bench;

import dev.dbtplatform.bench.api.ApiBench;
import dev.dbtplatform.bench.flush.FlushBench;
import dev.dbtplatform.bench.memory.MemoryBench;
import dev.dbtplatform.bench.operator.ThroughputBench;
import dev.dbtplatform.bench.prep.PrepBench;
import dev.dbtplatform.bench.scheduler.SchedulerBench;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code make bench}: runs the benchmarks, each with its limit in the same run and each in a JVM
 * of its own ({@link BenchFork}), prints the table and writes BENCHMARKS.md.
 */
public final class BenchMain {
  /** Every benchmark, in the order of their numbers. */
  static final List<Benchmark> BENCHMARKS = List.<Benchmark>of(new ThroughputBench(), new MemoryBench(),
      new SchedulerBench(), new ApiBench(), new PrepBench(), new FlushBench()).stream()
      .sorted(Comparator.comparingInt(Benchmark::number)).toList();

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    BenchResults results = run(BenchSettings.parse(args), System.out, BenchFork::run);
    System.out.println();
    System.out.println(BenchmarksReport.table(results));
    // the embedded servers leave non-daemon threads behind; everything is measured and written
    System.exit(0);
  }

  /** How a benchmark is run: in this JVM, or in one of its own. */
  interface Runner {
    BenchSection run(Benchmark benchmark, BenchSettings settings, PrintStream log) throws Exception;
  }

  /** Runs the benchmarks in this JVM, one after another: what the smoke tests do. */
  public static BenchResults run(BenchSettings settings, PrintStream log) throws Exception {
    return run(settings, log, (benchmark, s, out) -> benchmark.run(s, out));
  }

  static BenchResults run(BenchSettings settings, PrintStream log, Runner runner) throws Exception {
    Instant started = Instant.now();
    double loadAtStart = Machine.systemLoadAverage();
    long t0 = System.nanoTime();
    List<BenchSection> sections = new ArrayList<>();
    for (Benchmark benchmark : BENCHMARKS) {
      if (settings.only().contains(benchmark.key())) {
        log.printf("== %d. %s%n", benchmark.number(), benchmark.title());
        sections.add(runner.run(benchmark, settings, log));
      }
    }
    BenchResults results = new BenchResults(settings, Machine.current(), loadAtStart, started,
        Duration.ofNanos(System.nanoTime() - t0), sections);
    if (settings.output() != null) {
      Files.writeString(settings.output(), BenchmarksReport.markdown(results), StandardCharsets.UTF_8);
      log.println("wrote " + settings.output());
    }
    return results;
  }
}
