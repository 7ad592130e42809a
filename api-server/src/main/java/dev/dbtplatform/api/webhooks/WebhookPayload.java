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

    Map<String, Object> body = new LinkedHashMap<>();
    body.put("accountId", run.accountId());
    body.put("webhooksID", subscription.publicId());
    body.put("eventId", eventId);
    body.put("timestamp", now.toInstant().toString());
    body.put("eventType", event.wireName);
    body.put("webhookName", subscription.name());
    body.put("data", data);
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
