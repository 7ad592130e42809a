package dev.dbtplatform.operator.run;

import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunStatus;
import dev.dbtplatform.crd.RunPhase;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events for what happened to a run (`kubectl describe dbtrun`, `kubectl get events`):
 * one per change of phase and of the log flush, recorded after the status that reports the
 * change is stored. Events are a convenience: failing to record one never fails a reconcile.
 */
final class RunEvents {
  private static final Logger log = LoggerFactory.getLogger(RunEvents.class);
  static final String COMPONENT = "dbt-platform-operator";

  private final KubernetesClient client;

  RunEvents(KubernetesClient client) {
    this.client = client;
  }

  /** Records the changes between the status that was read and the one that was stored. */
  void recordChanges(DbtRun run, RunPhase phaseBefore, Condition flushBefore, Instant now) {
    DbtRunStatus status = run.getStatus();
    if (status.phase != phaseBefore && status.phase != null) {
      switch (status.phase) {
        case Queued -> { }
        case Starting -> record(run, "Normal", "Starting", status.message, now);
        case Running -> record(run, "Normal", "Running", status.message, now);
        case Succeeded -> record(run, "Normal", "Succeeded", status.message, now);
        case Failed -> record(run, "Warning", status.reason, status.message, now);
        case Cancelled -> record(run, "Normal", "Cancelled", status.message, now);
      }
    }
    Condition flush = RunConditions.find(status, RunConditions.LOGS_FLUSHED);
    if (flush != null && !sameCondition(flush, flushBefore)) {
      String type = "FlushFailed".equals(flush.getReason()) || "CredentialsMissing".equals(flush.getReason())
          ? "Warning" : "Normal";
      record(run, type, flush.getReason(), flush.getMessage(), now);
    }
  }

  private static boolean sameCondition(Condition a, Condition b) {
    return b != null && Objects.equals(a.getStatus(), b.getStatus()) && Objects.equals(a.getReason(), b.getReason())
        && Objects.equals(a.getMessage(), b.getMessage());
  }

  private void record(DbtRun run, String type, String reason, String message, Instant now) {
    try {
      client.v1().events().inNamespace(run.getMetadata().getNamespace()).resource(new EventBuilder()
          .withNewMetadata()
            .withName(run.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13).replace("-", ""))
            .withNamespace(run.getMetadata().getNamespace())
          .endMetadata()
          .withInvolvedObject(new ObjectReferenceBuilder()
              .withApiVersion(run.getApiVersion()).withKind(run.getKind())
              .withName(run.getMetadata().getName()).withNamespace(run.getMetadata().getNamespace())
              .withUid(run.getMetadata().getUid()).withResourceVersion(run.getMetadata().getResourceVersion())
              .build())
          .withType(type)
          .withReason(reason == null ? "Unknown" : reason)
          .withMessage(message)
          .withFirstTimestamp(now.toString())
          .withLastTimestamp(now.toString())
          .withCount(1)
          .withNewSource().withComponent(COMPONENT).endSource()
          .withReportingComponent(COMPONENT)
          .build()).create();
    } catch (KubernetesClientException e) {
      log.debug("cannot record event {} for {}: {}", reason, run.getMetadata().getName(), e.getMessage());
    }
  }
}
