package dev.dbtplatform.bench;

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
    for (BenchSection section : r.sections()) {
      for (BenchSection.Row row : section.rows()) {
        t.append("| ").append(String.join(" | ", String.valueOf(section.number()), row.what(), row.measured(),
            row.vsLimit(), row.target(), row.verdict())).append(" |\n");
      }
    }
    return t.toString();
  }

  static String markdown(BenchResults r) {
    Machine m = r.machine();
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
        .append(", Java Operator SDK ").append(Machine.versionOf(io.javaoperatorsdk.operator.Operator.class))
        .append(", fabric8 kubernetes-client ").append(Machine.versionOf(io.fabric8.kubernetes.client.KubernetesClient.class))
        .append(", Javalin ").append(Machine.versionOf(io.javalin.Javalin.class))
        .append(", PostgreSQL JDBC ").append(Machine.versionOf(org.postgresql.Driver.class))
        .append(", AWS SDK ").append(Machine.versionOf(software.amazon.awssdk.services.s3.S3Client.class))
        .append(", s3proxy ").append(Machine.versionOf(org.gaul.s3proxy.S3Proxy.class)).append('\n')
        .append("- Options: `").append(r.settings().commandLine()).append("`\n\n");

    md.append("## Results\n\n").append(table(r)).append('\n');

    md.append("## Method\n\n");
    for (BenchSection section : r.sections()) {
      md.append("**").append(section.number()).append(". ").append(section.title()).append(".** ")
          .append(section.method()).append("\n\n");
    }
    List<Benchmark> skipped = BenchMain.BENCHMARKS.stream()
        .filter(b -> r.sections().stream().noneMatch(s -> s.number() == b.number())).toList();
    if (!skipped.isEmpty()) {
      md.append("## Not measured in this run\n\n");
      skipped.forEach(b -> md.append("- ").append(b.number()).append(". ").append(b.title())
          .append(" (target ").append(b.target()).append(")\n"));
      md.append('\n');
    }
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
