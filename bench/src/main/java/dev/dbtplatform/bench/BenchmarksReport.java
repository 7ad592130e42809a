package dev.dbtplatform.bench;

import dev.dbtplatform.bench.api.LoadResult;
import dev.dbtplatform.bench.flush.FlushResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * BENCHMARKS.md and the console table. What limits a missed target is found by reading a
 * profile, not by this code: it lives in findings.md beside this class and is copied in as it is.
 */
final class BenchmarksReport {
  private static final long MIB = 1L << 20;

  private BenchmarksReport() {}

  /** The results table alone: what the console shows at the end. */
  static String table(BenchResults r) {
    StringBuilder t = new StringBuilder();
    t.append("| # | what | measured | vs. limit | target | verdict |\n|---|---|---|---|---|---|\n");
    if (r.api() != null) {
      List<LoadResult> l = r.api().loads();
      LoadResult lookup = l.get(0), list = l.get(1), ceiling = l.get(2), pk = l.get(3);
      boolean met = lookup.perSecond() >= 5000 && lookup.p99Millis() <= 20;
      row(t, "4", lookup.name(), lookup.figures(), String.format("%.0f%% of cheapest route, %.0f%% of PK lookups",
          100 * lookup.perSecond() / ceiling.perSecond(), 100 * lookup.perSecond() / pk.perSecond()),
          "≥ 5,000 req/s at p99 ≤ 20 ms", met ? "met" : "missed");
      row(t, "4", list.name(), list.figures(), String.format("%.0f%% of cheapest route",
          100 * list.perSecond() / ceiling.perSecond()), "(none set)", "");
      row(t, "4", ceiling.name(), ceiling.figures(), "limit", "", "");
      row(t, "4", pk.name(), pk.figures(), "limit", "", "");
    }
    if (r.flush() != null) {
      FlushResult flush = r.flush().get(0), plain = r.flush().get(1);
      // heap is judged by what is held after GC: the sampled peak follows the collector, not the code
      boolean fast = flush.megabytesPerSecond() >= 100;
      boolean bounded = flush.peakHeapGrowthAfterGc() <= 64 * MIB;
      String verdict = fast && bounded ? "met" : "missed (" + (fast ? "" : "MB/s") + (fast || bounded ? "" : ", ")
          + (bounded ? "" : "heap") + ")";
      row(t, "6", flush.name(), flush.figures(), String.format("%.0f%% of plain SDK upload",
          100 * flush.megabytesPerSecond() / plain.megabytesPerSecond()),
          "≥ 100 MB/s, heap growth ≤ 64 MiB", verdict);
      row(t, "6", plain.name(), plain.figures(), "limit", "", "");
    }
    return t.toString();
  }

  private static void row(StringBuilder t, String n, String what, String measured, String ratio, String target,
                          String verdict) {
    t.append("| ").append(String.join(" | ", n, what, measured, ratio, target, verdict)).append(" |\n");
  }

  static String markdown(BenchResults r) {
    Machine m = r.machine();
    BenchSettings s = r.settings();
    StringBuilder md = new StringBuilder();
    md.append("# Benchmarks\n\n")
        .append("Written by `make bench` (dev.dbtplatform.bench.BenchMain); run it again to replace this file. ")
        .append("Each benchmark measures the platform and its limit in the same run, so the ratio holds on a noisy machine. ")
        .append("The targets are the project's own, written beside each figure.\n\n");
    md.append("## Run\n\n")
        .append("- Date: ").append(DateTimeFormatter.ISO_INSTANT.format(r.startedAt().truncatedTo(ChronoUnit.SECONDS)))
        .append(String.format(", the benchmarks took %.0f s%n", r.took().toMillis() / 1000.0))
        .append("- Machine: ").append(m.cores()).append(" cores, ").append(m.memoryBytes() / MIB).append(" MiB memory, ")
        .append(m.os()).append(String.format(", 1-minute load average %.1f at the start and %.1f at the end%s%n",
            r.loadAtStart(), m.loadAverage(), r.loadAtStart() > m.cores() ? " (above the core count at the start: "
                + "other work shared the machine, so absolute figures are low; the ratios to the limits hold better)" : ""))
        .append("- JVM: ").append(m.jvm()).append(", max heap ").append(m.maxHeapBytes() / MIB).append(" MiB\n")
        .append("- Versions: dbt-platform ").append(BenchMain.class.getPackage().getImplementationVersion() == null
            ? "0.1.0-SNAPSHOT" : BenchMain.class.getPackage().getImplementationVersion())
        .append(", Javalin ").append(Machine.versionOf(io.javalin.Javalin.class))
        .append(", PostgreSQL JDBC ").append(Machine.versionOf(org.postgresql.Driver.class))
        .append(", AWS SDK ").append(Machine.versionOf(software.amazon.awssdk.services.s3.S3Client.class))
        .append(", s3proxy ").append(Machine.versionOf(org.gaul.s3proxy.S3Proxy.class));
    if (r.api() != null) {
      md.append(", PostgreSQL server (").append(r.api().postgresSettings()).append(')');
    }
    md.append("\n- Settings: ").append(String.format("%,d runs in history, concurrency %d, %d s warm-up and %d s "
        + "measured per load, flush of %,d MiB", s.historyRuns(), s.concurrency(), s.warmup().toSeconds(),
        s.window().toSeconds(), s.flushBytes() / MIB)).append("\n\n");

    md.append("## Results\n\n").append(table(r)).append('\n');

    md.append("## Method\n\n")
        .append("**4. API.** One JVM runs the embedded PostgreSQL (zonky, its default settings above), the embedded ")
        .append("Kubernetes API stand-in and the API server as ApiPlatform starts it, over **plain HTTP** ")
        .append("(ApiServerSettings.plain, as the API's tests use it; `make run` serves HTTPS) with the per-token rate ")
        .append("limit lifted so that it is not what is measured. Run history holds the given number of finished runs of ")
        .append("one account (20 jobs, one in ten failed), inserted with one INSERT ... SELECT over generate_series and ")
        .append("analyzed. The load generator runs in the same JVM, on the same cores: a fixed number of platform ")
        .append("threads, each with one keep-alive HTTP/1.1 connection on loopback, sending the next request when the ")
        .append("last one is answered (closed loop), with a service token (`Authorization: Token ...`). A warm-up, then ")
        .append("a measured window: requests/s counts the requests that started and ended in the window; p50/p99 are ")
        .append("their latencies. The run lookup picks a random run id per request; the list asks for one random job's ")
        .append("successful runs, newest first, 20 per page. Limits, same run and concurrency: `GET /` (no auth, no ")
        .append("database: the HTTP stack's ceiling) and `select * from runs where id = ?` over JDBC, one connection ")
        .append("per thread.\n\n")
        .append("**6. Log flush.** A run volume laid out as RunVolumeLayout says (4 steps, each a step log and a ")
        .append("manifest.json of equal size, log-line text, and the run summary) is flushed by FlushMain.run, as the ")
        .append("flush Job runs it, to the embedded S3 server (s3proxy, filesystem back-end on local disk) in the same ")
        .append("JVM. The limit is a plain AWS SDK putObject of the same files from disk, one after the other, to the ")
        .append("same server with the same HTTP client (URL connection). A 32 MiB round of both runs first, unmeasured. ")
        .append("MB/s is 10^6 bytes per second. Heap growth is over a baseline taken after a GC: \"sampled\" is the peak ")
        .append("of used heap sampled every 2 ms (it counts garbage not yet collected, so it follows the collector's ")
        .append("young generation), \"held after GC\" is the peak of heap in use right after any GC during the upload: ")
        .append("what the code keeps, which is what the target is about. Both include the S3 server's buffers.\n\n");

    md.append("## Not measured yet\n\n")
        .append("- 1. Run throughput and start latency (target ≥ 600 runs/min at p99 DbtRun→Pod ≤ 1 s, ≥ 50% of direct pod creation)\n")
        .append("- 2. Operator memory (target heap ≤ 256 MiB with 10,000 finished runs cached)\n")
        .append("- 3. Scheduler skew (target p99 ≤ 2 s, 0 missed, 0 duplicated fires)\n")
        .append("- 5. Prep time in one-machine mode (target ≤ 2 s over running dbt directly)\n\n");

    md.append(findings());
    return md.toString();
  }

  private static String findings() {
    try (InputStream in = BenchmarksReport.class.getResourceAsStream("findings.md")) {
      return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
