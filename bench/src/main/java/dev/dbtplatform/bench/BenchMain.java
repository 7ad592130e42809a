package dev.dbtplatform.bench;

import dev.dbtplatform.bench.api.ApiBench;
import dev.dbtplatform.bench.flush.FlushBench;
import dev.dbtplatform.bench.flush.FlushResult;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code make bench}: runs the benchmarks that exist so far (4, the API; 6, the log flush), each
 * with its limit in the same run, prints the table and writes BENCHMARKS.md.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    BenchResults results = run(BenchSettings.parse(args), System.out);
    System.out.println();
    System.out.println(BenchmarksReport.table(results));
    // the embedded servers leave non-daemon threads behind; everything is measured and written
    System.exit(0);
  }

  public static BenchResults run(BenchSettings settings, PrintStream log) throws Exception {
    Instant started = Instant.now();
    double loadAtStart = Machine.systemLoadAverage();
    long t0 = System.nanoTime();
    ApiBench.Outcome api = null;
    List<FlushResult> flush = null;
    if (settings.only().contains("api")) {
      api = ApiBench.run(new ApiBench.Settings(settings.historyRuns(), settings.concurrency(), settings.warmup(),
          settings.window()), log);
    }
    if (settings.only().contains("flush")) {
      flush = FlushBench.run(settings.flushBytes(), log);
    }
    BenchResults results = new BenchResults(settings, Machine.current(), loadAtStart, started,
        Duration.ofNanos(System.nanoTime() - t0), api, flush);
    if (settings.output() != null) {
      Files.writeString(settings.output(), BenchmarksReport.markdown(results), StandardCharsets.UTF_8);
      log.println("wrote " + settings.output());
    }
    return results;
  }
}
