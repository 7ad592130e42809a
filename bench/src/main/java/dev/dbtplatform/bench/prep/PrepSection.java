package dev.dbtplatform.bench.prep;

import dev.dbtplatform.bench.BenchSection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** Benchmark 5's part of BENCHMARKS.md: its rows, its method and its raw figures. */
final class PrepSection {
  private PrepSection() {}

  static BenchSection of(PrepResults r) {
    Spread platform = r.platform();
    Spread direct = r.direct();
    double overhead = r.overhead();
    PlatformTimeline last = r.last();
    Spread dbtInPlatform = r.dbtInPlatform();
    List<BenchSection.Row> rows = List.of(
        new BenchSection.Row("prep: API trigger → dbt's first line (one-machine mode)", platform.text(),
            String.format("%+.2f s over dbt directly (medians)", overhead),
            "overhead ≤ 2 s", BenchSection.verdict(overhead <= PrepBench.TARGET_OVERHEAD_SECONDS)),
        new BenchSection.Row("prep: where the platform's time goes (median s after the trigger)",
            phases(medians(r)), "", "", ""),
        new BenchSection.Row("prep: dbt step started → dbt's first line, inside the platform", dbtInPlatform.text(),
            String.format("%+.2f s against dbt directly (medians)", dbtInPlatform.median() - direct.median()), "", ""),
        BenchSection.Row.limit("limit: `" + last.dbtCommand() + "` started directly → its first line", direct.text()));

    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("platform.median", platform.median());
    figures.put("platform.max", platform.max());
    figures.put("direct.median", direct.median());
    figures.put("direct.max", direct.max());
    figures.put("overhead.median", overhead);
    figures.put("dbtInPlatform.median", dbtInPlatform.median());
    figures.put("startup.seconds", r.startupSeconds());
    if (!r.platformWarmups().isEmpty()) {
      figures.put("platform.warmup", r.platformWarmups().get(0).total());
      figures.put("direct.warmup", r.directWarmups().get(0));
    }
    r.phases().forEach((phase, spread) -> figures.put("phase." + phase.key() + ".median", spread.median()));
    return new BenchSection(5, "Prep time", rows, method(r, last), figures);
  }

  private static Map<PrepPhase, Double> medians(PrepResults r) {
    Map<PrepPhase, Double> medians = new LinkedHashMap<>();
    r.phases().forEach((phase, spread) -> medians.put(phase, spread.median()));
    return medians;
  }

  /** "API answered 0.05, DbtRun created 0.04, ...", in the order the moments happen. */
  static String phases(Map<PrepPhase, Double> seconds) {
    StringJoiner s = new StringJoiner(", ");
    for (PrepPhase phase : PrepPhase.values()) {
      Double at = seconds.get(phase);
      if (at != null) {
        s.add(String.format("%s %.2f", phase.label, at));
      }
    }
    return s.toString();
  }

  /** dbt's line without the time it starts with, which says nothing about the run. */
  private static String withoutTimeOfDay(String line) {
    return line.replaceFirst("^\\d{2}:\\d{2}:\\d{2}\\s+", "").strip();
  }

  private static final String METHOD = """
      One-machine mode as `make run` starts it (LocalPlatform: embedded PostgreSQL as the API's database and the \
      warehouse, embedded S3, the Kubernetes API stand-in, the operator, the local node, the API server over HTTPS; \
      started in %.1f s, not counted), with the sample project and production environment and a job of the \
      benchmark's own (steps `%s`, no schedule). The sample project has packages, so the run's first dbt command is \
      `%s`, which the runtime adds after the clone. **Platform:** the clock starts just before \
      `POST /api/v2/accounts/{a}/jobs/{j}/run/` is sent (java.net.http, keep-alive connection) and stops when the \
      benchmark reads dbt's first line (here `%s`) from the pod's container log the local node writes \
      (`<root>/node/pods/<ns>/<pod>/dbt.log`), polled every 5 ms: the time is when the line was seen, not one it \
      carries (dbt's own stamp has whole seconds only). The run pod's JVM starts as one-machine mode launches it, with \
      the class data sharing archive the platform trains at start-up. Each run is left to end and its logs to be \
      flushed before the next measurement. **Limit, same run:** the same dbt command run directly with the same venv, \
      a fresh shallow clone of the same repository (made before the clock starts), a profiles.yml written by the \
      runtime's ProfileWriter from the same Secret, target and threads, and the environment the runtime gives dbt; \
      timed from just before the process starts to its first line read from its stdout pipe, then stopped. Platform \
      and direct runs take turns, %d pairs measured, %s; medians and maxima are over the measured pairs and the \
      overhead is the difference of the medians. **Phases**, as seconds after the trigger: when the API answered, when \
      the benchmark's watches saw the DbtRun and the Pod created and the Pod Running (the node started the process), \
      when the runtime's first line was read (its JVM is up), and the runtime's own millisecond step markers for the \
      clone's start and end, the profile written and the dbt step's start (same machine clock).""";

  private static String method(PrepResults r, PlatformTimeline last) {
    String warmups = r.platformWarmups().isEmpty() ? "no warm-up"
        : String.format("%d warm-up pair(s) first, not counted (the first: platform %.2f s, direct %.2f s)",
            r.platformWarmups().size(), r.platformWarmups().get(0).total(), r.directWarmups().get(0));
    return String.format(METHOD, r.startupSeconds(), String.join(", ", PrepPlatform.JOB_STEPS), last.dbtCommand(),
        withoutTimeOfDay(last.dbtFirstLine()), r.platformRuns().size(), warmups);
  }
}
