package dev.dbtplatform.operator.run;

import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.Objects;

/** The conditions of a DbtRun and how they are set. */
public final class RunConditions {
  private RunConditions() {}

  /** The spec was resolved into a snapshot; False with InvalidSpec or ReferenceNotFound. */
  public static final String RESOLVED = "Resolved";
  /** dbt is running in the pod. */
  public static final String RUNNING = "Running";
  /** The run reached a final phase; the reason says how. */
  public static final String COMPLETE = "Complete";
  /** The run failed; the reason says why (InvalidSpec, StepFailed, Timeout, PodDeleted, ...). */
  public static final String FAILED = "Failed";
  /** Logs and artifacts are in object storage and the run volume is released. */
  public static final String LOGS_FLUSHED = "LogsFlushed";

  public static final String TRUE = "True";
  public static final String FALSE = "False";

  /** Sets a condition; the transition time moves only when the status value changes. */
  public static void set(DbtRun run, String type, String status, String reason, String message, Instant now) {
    DbtRunStatus s = run.getStatus();
    Condition existing = find(s, type);
    if (existing != null && Objects.equals(existing.getStatus(), status) && Objects.equals(existing.getReason(), reason)
        && Objects.equals(existing.getMessage(), message)) {
      return;
    }
    Condition c = new Condition();
    c.setType(type);
    c.setStatus(status);
    c.setReason(reason);
    c.setMessage(message);
    c.setObservedGeneration(run.getMetadata().getGeneration());
    c.setLastTransitionTime(existing != null && Objects.equals(existing.getStatus(), status)
        ? existing.getLastTransitionTime() : now.toString());
    s.conditions.removeIf(old -> type.equals(old.getType()));
    s.conditions.add(c);
  }

  public static Condition find(DbtRunStatus status, String type) {
    return status.conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  public static boolean isTrue(DbtRunStatus status, String type) {
    Condition c = find(status, type);
    return c != null && TRUE.equals(c.getStatus());
  }
}
