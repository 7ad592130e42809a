package dev.dbtplatform.operator.cleanup;

import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background cleanup in the operator: every interval, deletes finished runs past their TTL
 * ({@link ExpiredRuns}) and run volumes left behind by deleted runs ({@link OrphanedVolumes}).
 * A pass costs two list calls per watched namespace (run volumes by label, and DbtRuns); what
 * it is about to delete is read again first and deleted with a precondition.
 *
 * <p>Never deleted: anything of a run that is not both finished and flushed.
 */
public final class CleanupSweeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CleanupSweeper.class);

  private final KubernetesClient client;
  private final Set<String> namespaces;
  private final ExpiredRuns expiredRuns;
  private final OrphanedVolumes orphanedVolumes;
  private final CleanupMetrics metrics;
  private final Clock clock;
  private ScheduledExecutorService schedule;

  /** @param namespaces the namespaces to sweep; empty for all */
  public CleanupSweeper(KubernetesClient client, Set<String> namespaces, OperatorConfig.Cleanup settings,
                        CleanupMetrics metrics, Clock clock) {
    this.client = client;
    this.namespaces = Set.copyOf(namespaces);
    this.expiredRuns = new ExpiredRuns(client, settings.runTtl(), metrics);
    this.orphanedVolumes = new OrphanedVolumes(client, metrics);
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Sweeps every {@code interval}, the first time one interval from now (the operator has just
   * started and has its own work to do). A failed pass is logged; the next one tries again.
   */
  public synchronized CleanupSweeper start(Duration interval) {
    if (schedule != null) {
      throw new IllegalStateException("already started");
    }
    schedule = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "dbt-platform-cleanup");
      thread.setDaemon(true);
      return thread;
    });
    // A task that throws is never run again by the executor: sweep() catches everything.
    schedule.scheduleWithFixedDelay(this::sweep, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** One pass over every namespace; returns whether it completed without an error. */
  public boolean sweep() {
    boolean succeeded = true;
    for (String namespace : scopes()) {
      try {
        succeeded &= sweep(namespace);
      } catch (RuntimeException e) {
        succeeded = false;
        log.warn("cleanup of {} failed (tried again in the next pass): {}",
            namespace == null ? "all namespaces" : "namespace " + namespace, e.toString());
      }
    }
    metrics.pass(succeeded);
    return succeeded;
  }

  /** @param namespace null for all */
  private boolean sweep(String namespace) {
    Instant now = clock.instant();
    // Volumes first, then runs: a run created in between is listed with its volume's owner.
    List<PersistentVolumeClaim> volumes = (namespace == null
        ? client.persistentVolumeClaims().inAnyNamespace()
        : client.persistentVolumeClaims().inNamespace(namespace))
        .withLabelSelector(RunVolumes.SELECTOR).list().getItems();
    List<DbtRun> runs = (namespace == null
        ? client.resources(DbtRun.class).inAnyNamespace()
        : client.resources(DbtRun.class).inNamespace(namespace))
        .list().getItems();
    boolean runsDone = expiredRuns.sweep(runs, volumes, now);
    return orphanedVolumes.sweep(volumes, runs) && runsDone;
  }

  private List<String> scopes() {
    List<String> scopes = new ArrayList<>(namespaces);
    if (scopes.isEmpty()) {
      scopes.add(null);
    }
    return scopes;
  }

  @Override
  public synchronized void close() {
    if (schedule != null) {
      schedule.shutdownNow();
      try {
        schedule.awaitTermination(10, TimeUnit.SECONDS); // the operator closes the client right after
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      schedule = null;
    }
  }
}
