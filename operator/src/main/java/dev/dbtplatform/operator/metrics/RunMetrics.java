package dev.dbtplatform.operator.metrics;

import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunStatus;
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
 * operator's cache when scraped), queue, wait and prep time, finished runs by phase and reason.
 */
public final class RunMetrics {
  private final MeterRegistry registry;
  private final Timer queueTime;
  private final Timer waitTime;
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
    this.waitTime = Timer.builder("dbt_platform_run_wait")
        .description("Time a DbtRun waited for its turn under the queueing rules (previous run of its job, run slots)"
            + " before its pod was created; part of the queue time")
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

  /**
   * Records what a stored status change says: the queue and wait time when the pod was created, the prep
   * time when dbt started, the end of a run. Called only after the status is stored, so a pass
   * whose write was refused counts nothing.
   */
  public void recordChanges(DbtRunStatus status, RunPhase phaseBefore) {
    RunPhase phase = status.phaseOrQueued();
    if (phase == phaseBefore) {
      return;
    }
    boolean wasQueued = phaseBefore == null || phaseBefore == RunPhase.Queued;
    if (wasQueued && phase != RunPhase.Queued && status.queuedSeconds != null) {
      queueTime.record(seconds(status.queuedSeconds));
    }
    // Once per run, when its turn came; a run that ended while waiting never got one.
    if (wasQueued && status.podUid != null && status.waitSeconds != null) {
      waitTime.record(seconds(status.waitSeconds));
    }
    if (phaseBefore != RunPhase.Running && status.prepSeconds != null
        && (phase == RunPhase.Running || phase.isTerminal() && status.startedAt != null)) {
      prepTime.record(seconds(status.prepSeconds));
    }
    if (phase.isTerminal()) {
      Counter.builder("dbt_platform_runs_finished")
          .description("Runs that reached a final phase")
          .tag("phase", phase.name())
          .tag("reason", status.reason == null ? "" : status.reason)
          .register(registry)
          .increment();
      if (status.runSeconds != null) {
        runTime.record(seconds(status.runSeconds));
      }
    }
  }

  private static Duration seconds(double seconds) {
    return Duration.ofMillis((long) (seconds * 1000));
  }

  private long count(RunPhase phase) {
    return runs.get().stream()
        .filter(r -> r.getStatus() != null && r.getStatus().phaseOrQueued() == phase)
        .count();
  }
}
