package dev.dbtplatform.api.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbtplatform.api.runs.RunStatus;
import dev.dbtplatform.api.runs.StoredRun;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of a delivery, with dbt Cloud's field names and value types: ids inside {@code data}
 * are strings, {@code runStatusCode} is a number, times are RFC 3339 in UTC, and a run without a
 * status message says "None", as dbt Cloud's payloads do.
 */
final class WebhookPayload {
  /**
   * The event type of a test delivery. dbt Cloud documents no name for what its test endpoint
   * sends, so this is the platform's own; it is none of the job.run.* events a subscription can
   * ask for, so a receiver that acts on those leaves a test alone.
   */
  static final String TEST_EVENT = "webhook.test";

  private static final ObjectMapper JSON = new ObjectMapper();

  private WebhookPayload() {}

  static String of(WebhookSubscription subscription, WebhookEvent event, String eventId, StoredRun run,
                   OffsetDateTime now) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("jobId", text(run.jobId()));
    data.put("jobName", run.jobName());
    data.put("runId", Long.toString(run.id()));
    data.put("environmentId", text(run.environmentId()));
    data.put("environmentName", run.environmentName());
    data.put("dbtVersion", ""); // run history does not record the dbt version a run used yet
    data.put("projectName", run.projectName());
    data.put("projectId", text(run.projectId()));
    data.put("runStatus", runStatus(run.status()));
    data.put("runStatusCode", run.status().code);
    data.put("runStatusMessage", run.statusMessage() == null ? "None" : run.statusMessage());
    data.put("runReason", run.trigger().cause());
    data.put("runStartedAt", time(run.startedAt()));
    if (event == WebhookEvent.COMPLETED) {
      data.put("runFinishedAt", time(run.finishedAt()));
    } else if (event == WebhookEvent.ERRORED) {
      data.put("runErroredAt", time(run.finishedAt()));
    }
    return write(envelope(subscription, event.wireName, eventId, now, data));
  }

  /**
   * A test delivery: the fields every delivery has, and in {@code data} only that it is a test,
   * since no run is behind it.
   */
  static String test(WebhookSubscription subscription, String eventId, OffsetDateTime now) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("test", true);
    data.put("message", "A test delivery of webhook subscription " + subscription.publicId()
        + ": it is signed like every delivery; no run is behind it.");
    return write(envelope(subscription, TEST_EVENT, eventId, now, data));
  }

  private static Map<String, Object> envelope(WebhookSubscription subscription, String eventType, String eventId,
                                              OffsetDateTime now, Map<String, Object> data) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("accountId", subscription.accountId());
    body.put("webhooksID", subscription.publicId());
    body.put("eventId", eventId);
    body.put("timestamp", now.toInstant().toString());
    body.put("eventType", eventType);
    body.put("webhookName", subscription.name());
    body.put("data", data);
    return body;
  }

  private static String write(Map<String, Object> body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a webhook payload", e);
    }
  }

  /** dbt Cloud's webhook wording: "Errored" where the runs API says "Error". */
  static String runStatus(RunStatus status) {
    return status == RunStatus.ERROR ? "Errored" : status.humanized;
  }

  private static String text(Long id) {
    return id == null ? null : id.toString();
  }

  private static String time(OffsetDateTime t) {
    return t == null ? null : t.toInstant().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
