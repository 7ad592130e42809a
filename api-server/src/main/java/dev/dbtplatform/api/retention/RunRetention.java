package dev.dbtplatform.api.retention;

import dev.dbtplatform.api.db.Database;
import dev.dbtplatform.api.storage.RunObjectsRemover;
import dev.dbtplatform.crd.DbtRun;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes runs that finished longer than the retention ago: first their logs and artifacts from
 * the object store, then their rows of run history. A run is removed only when it is complete,
 * its logs are saved (or it never had any) and its DbtRun is no longer in the cluster; anything
 * else is kept, however old. Objects go before the row, so a pass that stops halfway leaves a row
 * that the next pass finds again, never objects that nothing points to.
 *
 * <p>Several API replicas may run this: a pass holds a PostgreSQL advisory lock, and a replica
 * that cannot take it skips its pass.
 */
public final class RunRetention implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RunRetention.class);
  /** The advisory lock of a pass; any constant no other code of this database uses. */
  static final long LOCK_KEY = 0x64627470_72657461L; // "dbtpreta"
  static final int BATCH = 100;

  /** What a pass did; {@code ran} is false when another replica held the lock. */
  public record Pass(boolean ran, int runsPruned, long objectsDeleted, int runsKept) {}

  private final Database db;
  private final KubernetesClient cluster;
  private final RunObjectsRemover objects;
  private final RetentionSettings settings;
  private final Clock clock;
  private ScheduledExecutorService schedule;

  /** @param objects null when there is no object store: runs with logs are then kept */
  public RunRetention(Database db, KubernetesClient cluster, RunObjectsRemover objects, RetentionSettings settings,
                      Clock clock) {
    this.db = db;
    this.cluster = cluster;
    this.objects = objects;
    this.settings = settings;
    this.clock = clock;
  }

  /** Runs a pass every interval, the first one interval from now; failures are logged and retried next time. */
  public synchronized RunRetention start() {
    if (schedule != null) {
      throw new IllegalStateException("already started");
    }
    schedule = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "dbt-platform-retention");
      thread.setDaemon(true);
      return thread;
    });
    long interval = settings.interval().toMillis();
    // A task that throws is never run again by the executor: the pass catches everything.
    schedule.scheduleWithFixedDelay(this::scheduledPass, interval, interval, TimeUnit.MILLISECONDS);
    return this;
  }

  private void scheduledPass() {
    try {
      Pass pass = prune();
      if (pass.runsPruned() > 0 || pass.runsKept() > 0) {
        log.info("retention: removed {} runs finished more than {} days ago ({} objects); kept {} still in the cluster"
                + " or whose objects could not be deleted", pass.runsPruned(), settings.retention().toDays(),
            pass.objectsDeleted(), pass.runsKept());
      }
    } catch (RuntimeException e) {
      log.warn("retention pass failed (tried again in {}): {}", settings.interval(), e.toString());
    }
  }

  /** One pass, when this replica gets the lock. */
  public Pass prune() {
    if (!settings.enabled()) {
      return new Pass(false, 0, 0, 0);
    }
    OffsetDateTime cutoff = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).minus(settings.retention());
    // A session lock lives on one connection: every statement of the pass uses that connection.
    try (Connection connection = db.dataSource().getConnection()) {
      DSLContext dsl = DSL.using(connection, SQLDialect.POSTGRES);
      if (!dsl.select(DSL.field("pg_try_advisory_lock({0})", Boolean.class, LOCK_KEY)).fetchOne().value1()) {
        return new Pass(false, 0, 0, 0);
      }
      try {
        return pruneBefore(dsl, cutoff);
      } finally {
        dsl.select(DSL.field("pg_advisory_unlock({0})", Boolean.class, LOCK_KEY)).fetchOne();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot reach the database for a retention pass: " + e.getMessage(), e);
    }
  }

  private Pass pruneBefore(DSLContext dsl, OffsetDateTime cutoff) {
    int pruned = 0;
    int kept = 0;
    long objectsDeleted = 0;
    long afterId = 0;
    List<PrunableRuns.Run> batch;
    do {
      batch = PrunableRuns.after(dsl, cutoff, afterId, BATCH);
      for (PrunableRuns.Run run : batch) {
        afterId = run.id();
        if (stillInCluster(run) || !objectsRemovable(run)) {
          kept++;
          continue;
        }
        try {
          objectsDeleted += run.logsPrefix() == null ? 0 : objects.deleteRun(run.logsBucket(), run.logsPrefix());
        } catch (RuntimeException e) {
          kept++; // the row stays, so the next pass tries again
          log.warn("retention: cannot delete the objects of run {} ({}/{}): {}", run.id(), run.namespace(), run.name(),
              e.getMessage());
          continue;
        }
        if (PrunableRuns.delete(dsl, run.id(), cutoff)) {
          pruned++;
        }
      }
    } while (batch.size() == BATCH);
    return new Pass(true, pruned, objectsDeleted, kept);
  }

  /**
   * Whether the run's DbtRun is still in the cluster. A DbtRun of the same name with another UID
   * is a later run; without a recorded UID the name alone must decide, so any DbtRun of that name
   * keeps the row. A cluster that cannot be asked throws, and the pass stops with nothing deleted
   * for this run.
   */
  private boolean stillInCluster(PrunableRuns.Run run) {
    DbtRun live = cluster.resources(DbtRun.class).inNamespace(run.namespace()).withName(run.name()).get();
    return live != null && (run.uid() == null || run.uid().equals(live.getMetadata().getUid()));
  }

  /**
   * Whether the run's objects can be deleted without touching another run's: the stored prefix
   * must end in this run's own name and UID, as the operator makes it.
   */
  private boolean objectsRemovable(PrunableRuns.Run run) {
    if (run.logsPrefix() == null) {
      return true;
    }
    boolean ownPrefix = run.uid() != null && run.logsBucket() != null
        && run.logsPrefix().endsWith("/runs/" + run.name() + "/" + run.uid() + "/");
    if (!ownPrefix) {
      log.warn("retention: run {} ({}/{}) has logs at s3://{}/{}, which is not its own run prefix: kept", run.id(),
          run.namespace(), run.name(), run.logsBucket(), run.logsPrefix());
    }
    return ownPrefix && objects != null;
  }

  @Override
  public synchronized void close() {
    if (schedule != null) {
      schedule.shutdownNow();
      try {
        schedule.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      schedule = null;
    }
  }
}
