package dev.dbtplatform.operator.run;

import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.RunPhase;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Applies the {@link RunQueue} rules to the runs the operator knows, and wakes the runs whose turn
 * may have come.
 *
 * <p>Where the runs are read from: a run that waits is decided from the operator's cache of runs
 * (JOSDK's primary cache), which costs nothing and is asked on every pass of every waiting run.
 * The cache may lag behind the stored runs, but it lags consistently (it is the watch stream up to
 * some point, and phases only move forward), so a lagging view holds a run back rather than letting
 * it through. Starting a pod and superseding a run cannot be undone, so before either the decision
 * is taken again from a live list of the stored runs: that closes the window in which the cache has
 * not yet seen a run another pass just started. It is one list per run that starts, of the run's
 * namespace, or of every watched namespace when run slots are limited (an account's runs may live
 * in several). Runs carry no label naming their job (the operator never writes their metadata), so
 * the list cannot be narrowed by one.
 */
final class RunTurns {
  private final RunQueue queue;
  private final int runSlots;
  private final RunCluster cluster;
  private final Set<String> namespaces;
  private final QueueWakeups wakeups;

  RunTurns(int runSlots, RunCluster cluster, Set<String> namespaces, QueueWakeups wakeups) {
    this.queue = new RunQueue(runSlots);
    this.runSlots = runSlots;
    this.cluster = cluster;
    this.namespaces = namespaces;
    this.wakeups = wakeups;
  }

  /** The turn of a Queued, resolved run that has no pod yet. */
  Turn turnOf(DbtRun run, Context<DbtRun> context) {
    if (!queue.appliesTo(run)) {
      return new Turn.Go();
    }
    List<DbtRun> cached = cached(run, context);
    Turn turn = queue.turnOf(run, cached);
    if (!(turn instanceof Turn.Wait)) {
      turn = queue.turnOf(run, live(run));
    }
    if (turn instanceof Turn.Wait && RunQueue.isScheduled(run)) {
      // An older scheduled run of this job that still waits is now superseded: let it see so at once.
      cached.stream()
          .filter(r -> RunQueue.sameJob(r, run) && isQueued(r) && RunQueue.isScheduled(r)
              && RunQueue.ORDER.compare(r, run) < 0)
          .forEach(wakeups::wake);
    }
    return turn;
  }

  /**
   * Wakes the queued runs a run that ended held back: those of its job and, with run slots, those
   * of its account. Called when the ended run is read from the cache, so the woken runs, reading
   * the same cache, see it ended.
   */
  void wakeRunsBehind(DbtRun ended, Context<DbtRun> context) {
    if (RunQueue.jobOf(ended) == null && runSlots == 0) {
      return;
    }
    cached(ended, context).stream()
        .filter(r -> !RunQueue.sameRun(r, ended) && isQueued(r) && r.getStatus().resolved != null)
        .filter(r -> RunQueue.sameJob(r, ended)
            || runSlots > 0 && Objects.equals(RunQueue.accountOf(r), RunQueue.accountOf(ended)))
        .forEach(wakeups::wake);
  }

  private static boolean isQueued(DbtRun run) {
    return run.getStatus() != null && run.getStatus().phaseOrQueued() == RunPhase.Queued;
  }

  private List<DbtRun> cached(DbtRun run, Context<DbtRun> context) {
    if (context.getPrimaryCache() == null) {
      return live(run); // a reconciler called directly, without JOSDK's caches
    }
    return runSlots > 0
        ? context.getPrimaryCache().list().toList()
        : context.getPrimaryCache().list(run.getMetadata().getNamespace()).toList();
  }

  private List<DbtRun> live(DbtRun run) {
    return runSlots > 0 ? cluster.liveRuns(namespaces) : cluster.liveRuns(run.getMetadata().getNamespace());
  }
}
