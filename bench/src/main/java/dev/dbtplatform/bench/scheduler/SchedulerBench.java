package dev.dbtplatform.bench.scheduler;

import dev.dbtplatform.bench.BenchSection;
import dev.dbtplatform.bench.BenchSettings;
import dev.dbtplatform.bench.Benchmark;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 3: how late the scheduler creates the runs of every-minute jobs while it also keeps
 * thousands of rarely firing jobs, and whether it misses or doubles a fire; beside it in the same
 * window, the limit: a plain client creating the same number of runs at each fire time. A second
 * round with only the every-minute jobs shows what the other jobs cost.
 */
public final class SchedulerBench implements Benchmark {
  static final double TARGET_P99_MILLIS = 2000;

  @Override
  public int number() {
    return 3;
  }

  @Override
  public String key() {
    return "scheduler";
  }

  @Override
  public String title() {
    return "Scheduler skew";
  }

  @Override
  public String target() {
    return "p99 skew ≤ 2 s from fire time to run creation, 0 missed, 0 duplicated";
  }

  @Override
  public Map<String, String> options() {
    return Map.of("scheduler-jobs", "5000", "scheduler-every-minute", "20", "scheduler-minutes", "3",
        "scheduler-baseline-minutes", "1", "scheduler-grace-seconds", "15");
  }

  @Override
  public BenchSection run(BenchSettings settings, PrintStream log) throws Exception {
    int everyMinute = settings.integer("scheduler-every-minute");
    SkewRound.Settings main = new SkewRound.Settings(settings.integer("scheduler-jobs"), everyMinute,
        settings.integer("scheduler-minutes"), settings.seconds("scheduler-grace-seconds"));
    SkewRound.Outcome measured = SkewRound.run(main, "all jobs", log);
    SkewRound.Outcome baseline = null;
    int baselineMinutes = settings.integer("scheduler-baseline-minutes");
    if (baselineMinutes > 0) {
      baseline = SkewRound.run(new SkewRound.Settings(everyMinute, everyMinute, baselineMinutes, main.grace()),
          "every-minute jobs only", log);
    }
    return section(measured, baseline);
  }

  static BenchSection section(SkewRound.Outcome measured, SkewRound.Outcome baseline) {
    FireTally scheduler = measured.scheduler(), limit = measured.limit();
    SkewRound.Settings s = measured.settings();
    boolean met = scheduler.skews().p99Millis() <= TARGET_P99_MILLIS && scheduler.missed() == 0
        && scheduler.duplicated() == 0 && scheduler.unexpected() == 0;
    List<BenchSection.Row> rows = new ArrayList<>();
    rows.add(new BenchSection.Row(String.format("scheduler, %,d jobs (%d every minute)", s.jobs(), s.everyMinute()),
        scheduler.figures(), String.format("p99 %+.0f ms over the limit's", scheduler.skews().p99Millis()
            - limit.skews().p99Millis()), "p99 ≤ 2 s, 0 missed, 0 duplicated", BenchSection.verdict(met)));
    rows.add(BenchSection.Row.limit("limit: plain client creates a run at each fire (same window)", limit.figures()));
    if (baseline != null) {
      rows.add(BenchSection.Row.limit(String.format("scheduler, only the %d every-minute jobs", s.everyMinute()),
          baseline.scheduler().figures()));
    }
    Map<String, Double> figures = new LinkedHashMap<>();
    put(figures, "scheduler", scheduler);
    put(figures, "limit", limit);
    figures.put("jobs", (double) s.jobs());
    figures.put("startupSeconds", measured.startup().toMillis() / 1000.0);
    figures.put("limit.createFailures", (double) measured.limitCreateFailures());
    if (baseline != null) {
      put(figures, "baseline", baseline.scheduler());
    }
    return new BenchSection(3, "Scheduler skew", rows, method(measured, baseline), figures);
  }

  private static void put(Map<String, Double> figures, String name, FireTally tally) {
    figures.put(name + ".p50Millis", tally.skews().p50Millis());
    figures.put(name + ".p99Millis", tally.skews().p99Millis());
    figures.put(name + ".maxMillis", tally.skews().maxMillis());
    figures.put(name + ".expected", (double) tally.expected());
    figures.put(name + ".seen", (double) tally.seen());
    figures.put(name + ".missed", (double) tally.missed());
    figures.put(name + ".duplicated", (double) tally.duplicated());
    figures.put(name + ".unexpected", (double) tally.unexpected());
  }

  private static String method(SkewRound.Outcome measured, SkewRound.Outcome baseline) {
    SkewRound.Settings s = measured.settings();
    return String.format("%,d DbtJobs in one namespace of the embedded Kubernetes API stand-in (fabric8 mock "
        + "server, CRUD mode; its log of every request is turned off), all referencing one DbtEnvironment (with its "
        + "DbtProject and warehouse Secret, created first): %d on `*/1 * * * *`, the others on realistic rare "
        + "schedules (hourly at a set minute, every few hours, nightly, weekdays, weekly, monthly, at spread minutes) "
        + "drawn so that none fires within 30 min of the window. The whole operator (DbtPlatformOperator.start: "
        + "run, environment, job and develop reconcilers and the cleanup sweeper, default settings, watching that "
        + "namespace) runs in the benchmark's JVM against the stand-in. Its clock runs at real speed, so every wait "
        + "is real time, but ahead of the system clock by a constant under a minute (%.1f s in this run) so that a "
        + "minute begins about %d s after the operator starts instead of up to a minute later. The window is the "
        + "first %d whole minutes that begin at least 10 s after every job shows Ready=True and its next fire in "
        + "status (that took %.1f s from the operator's start; the 10 s keep the tail of start-up, the last jobs' "
        + "status writes and catch-up runs, out of the window), and stays open %d s past the last fire. A watch on DbtRuns in all namespaces, opened "
        + "before the operator starts, notes when each run appears, on the same clock; skew = that moment minus the "
        + "fire time the run carries (its dbtplatform.dev/scheduled-at annotation; its name encodes the same "
        + "minute). The stand-in's creationTimestamp is not used: it has whole seconds only, on the system clock "
        + "(%s). p50/p99 are by "
        + "nearest rank over every job's every fire (with 60 fires, p99 is the worst). Per every-minute job and fire "
        + "in the window: missed = no run by the end, duplicated = more than one; a run of any other job for a fire "
        + "in the window would count as unexpected (%d). Runs are not completed (no kubelet): the first run of each "
        + "job gets a pod that never starts, later ones wait for it and are replaced by each newer scheduled run "
        + "(Cancelled, Superseded), as the run reconciler does it. The scheduler creates a job's run whatever its "
        + "earlier runs are doing, so waiting runs do not change what it does; they add the run reconciler's work "
        + "at each minute, which is measured with it. Limit, same window and JVM: at every fire, %d threads of a "
        + "plain fabric8 client, each woken by a timer at the fire time, create one DbtRun each in a namespace the "
        + "operator does not watch, observed by the same watch: what the stand-in, the watch and a timer cost "
        + "under the same load, with no scheduler in between. A ready job is looked at again every 5 min even when "
        + "it does not fire; those passes of all jobs come due together about 5 min after start-up, which a window "
        + "of 3 min does not reach (--scheduler-minutes=6 does). %s",
        s.jobs(), s.everyMinute(), measured.clockAhead().toMillis() / 1000.0, s.lead().toSeconds(), s.minutes(),
        measured.startup().toMillis() / 1000.0, s.grace().toSeconds(), measured.creationTimestamp(),
        measured.scheduler().unexpected(), s.everyMinute(),
        baseline == null ? "" : String.format("Comparison: the same round on a fresh stand-in with only the %d "
            + "every-minute jobs, %d min, shows what the other %,d jobs cost.", s.everyMinute(),
            baseline.settings().minutes(), s.jobs() - s.everyMinute()));
  }
}
