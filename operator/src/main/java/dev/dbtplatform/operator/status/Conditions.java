package dev.dbtplatform.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Kubernetes conditions: set one, find one. */
public final class Conditions {
  private Conditions() {}

  public static final String TRUE = "True";
  public static final String FALSE = "False";

  /** Sets a condition; the transition time moves only when the status value changes. */
  public static void set(List<Condition> conditions, Long generation, String type, String status, String reason,
                         String message, Instant now) {
    Condition existing = find(conditions, type);
    if (existing != null && Objects.equals(existing.getStatus(), status) && Objects.equals(existing.getReason(), reason)
        && Objects.equals(existing.getMessage(), message)) {
      return;
    }
    Condition c = new Condition();
    c.setType(type);
    c.setStatus(status);
    c.setReason(reason);
    c.setMessage(message);
    c.setObservedGeneration(generation);
    c.setLastTransitionTime(existing != null && Objects.equals(existing.getStatus(), status)
        ? existing.getLastTransitionTime() : now.toString());
    conditions.removeIf(old -> type.equals(old.getType()));
    conditions.add(c);
  }

  public static Condition find(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }
}
