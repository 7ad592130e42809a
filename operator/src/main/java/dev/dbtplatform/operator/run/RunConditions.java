package dev.dbtplatform.operator.run;

import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunStatus;
import dev.dbtplatform.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;

/** The conditions of a DbtRun and how they are set. */
public final class RunConditions {
  private RunConditions() {}

  /** The spec was resolved into a snapshot; False with InvalidSpec or ReferenceNotFound. */
  public static final String RESOLVED = "Resolved";
  /**
   * The run waits for its turn under the queueing rules: True with WaitingForPreviousRun or
   * WaitingForRunSlot; False once it left the queue (Dequeued, or the reason it ended with).
   */
  public static final String QUEUED = "Queued";
  /** dbt is running in the pod. */
  public static final String RUNNING = "Running";
  /** The run reached a final phase; the reason says how. */
  public static final String COMPLETE = "Complete";
  /** The run failed; the reason says why (InvalidSpec, StepFailed, Timeout, PodDeleted, ...). */
  public static final String FAILED = "Failed";
  /** Logs and artifacts are in object storage and the run volume is released. */
  public static final String LOGS_FLUSHED = "LogsFlushed";

  public static final String TRUE = Conditions.TRUE;
  public static final String FALSE = Conditions.FALSE;

  public static void set(DbtRun run, String type, String status, String reason, String message, Instant now) {
    Conditions.set(run.getStatus().conditions, run.getMetadata().getGeneration(), type, status, reason, message, now);
  }

  public static Condition find(DbtRunStatus status, String type) {
    return Conditions.find(status.conditions, type);
  }
}
