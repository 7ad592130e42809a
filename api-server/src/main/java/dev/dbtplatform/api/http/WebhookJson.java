package dev.dbtplatform.api.http;

import dev.dbtplatform.api.webhooks.WebhookDeliveries;
import dev.dbtplatform.api.webhooks.WebhookSubscription;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Webhook subscriptions as dbt Cloud's v3 API shows them: string ids ({@code id},
 * {@code account_id}, {@code job_ids}, {@code http_status_code}) and times as microseconds since
 * the epoch, in strings. The secret is shown only once, in the answer to the create.
 */
final class WebhookJson {
  private WebhookJson() {}

  static Map<String, Object> toJson(WebhookSubscription s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.publicId());
    m.put("account_identifier", "act_" + s.accountId());
    m.put("name", s.name());
    m.put("description", s.description());
    m.put("job_ids", s.jobIds().stream().map(String::valueOf).toList());
    m.put("event_types", s.eventTypes().stream().map(e -> e.wireName).toList());
    m.put("client_url", s.clientUrl());
    m.put("active", s.active());
    m.put("created_at", micros(s.createdAt()));
    m.put("updated_at", micros(s.updatedAt()));
    m.put("dispatched_at", micros(s.dispatchedAt()));
    m.put("account_id", Long.toString(s.accountId()));
    m.put("http_status_code", Integer.toString(s.httpStatusCode()));
    return m;
  }

  /** The answer to a create: the only one that carries the signing secret. */
  static Map<String, Object> created(WebhookSubscription s, String secret) {
    Map<String, Object> m = toJson(s);
    m.put("hmac_secret", secret);
    return m;
  }

  static Map<String, Object> toJson(WebhookDeliveries.LogEntry d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", d.id());
    m.put("event_id", d.eventId());
    m.put("event_type", d.eventType());
    m.put("run_id", d.runId()); // null for a test delivery
    m.put("status", d.status());
    m.put("attempts", d.attempts());
    m.put("next_attempt_at", AccountsApi.timestamp(d.nextAttemptAt()));
    m.put("last_status_code", d.lastStatusCode());
    m.put("last_error", d.lastError());
    m.put("delivered_at", AccountsApi.timestamp(d.deliveredAt()));
    m.put("created_at", AccountsApi.timestamp(d.createdAt()));
    m.put("request_body", d.payload());
    m.put("attempt_log", d.attemptLog().stream().map(a -> {
      Map<String, Object> attempt = new LinkedHashMap<>();
      attempt.put("attempt", a.attempt());
      attempt.put("started_at", AccountsApi.timestamp(a.startedAt()));
      attempt.put("duration_ms", a.durationMs());
      attempt.put("status_code", a.statusCode());
      attempt.put("error", a.error());
      return attempt;
    }).toList());
    return m;
  }

  private static String micros(OffsetDateTime t) {
    if (t == null) {
      return null;
    }
    var instant = t.toInstant();
    return Long.toString(instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000);
  }
}
