package dev.dbtplatform.operator.metrics;

import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.RunPhase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * Run metrics beside JOSDK's reconcile counts and durations: runs by phase (read from the
 * operator's cache when scraped), queue and prep time, finished runs by phase and reason.
 */
public final class RunMetrics {
  private final MeterRegistry registry;
  private final Timer queueTime;
  private final Timer prepTime;
  private final Timer runTime;
  private volatile Supplier<Collection<DbtRun>> runs = java.util.List::of;

  public RunMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (RunPhase phase : RunPhase.values()) {
      Gauge.builder("dbt_platform_runs", () -> count(phase))
          .description("DbtRuns known to the operator, by phase")
          .tag("phase", phase.name())
          .register(registry);
    }
    this.queueTime = Timer.builder("dbt_platform_run_queue")
        .description("Time from a DbtRun's creation to its pod's creation")
        .publishPercentileHistogram().register(registry);
    this.prepTime = Timer.builder("dbt_platform_run_prep")
        .description("Time from a run pod's creation to dbt starting (scheduling, image pull, volume attach)")
        .publishPercentileHistogram().register(registry);
    this.runTime = Timer.builder("dbt_platform_run_execution")
        .description("Time from dbt starting to the run's end")
        .publishPercentileHistogram().register(registry);
  }

  /** Where gauges read the runs from: the reconciler's primary cache. */
  public void readRunsFrom(Supplier<Collection<DbtRun>> runs) {
    this.runs = runs;
  }

  public void queued(Duration d) {
    queueTime.record(d);
  }

  public void prepared(Duration d) {
    prepTime.record(d);
  }

  public void finished(RunPhase phase, String reason, Duration runDuration) {
    Counter.builder("dbt_platform_runs_finished")
        .description("Runs that reached a final phase")
        .tag("phase", phase.name())
        .tag("reason", reason == null ? "" : reason)
        .register(registry)
        .increment();
    if (runDuration != null) {
      runTime.record(runDuration);
    }
  }

  private long count(RunPhase phase) {
    return runs.get().stream()
        .filter(r -> r.getStatus() != null && r.getStatus().phaseOrQueued() == phase)
        .count();
  }
}
