package dev.dbtplatform.api.webhooks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Delivery attempts on the API's meter registry (served at {@code GET /metrics}):
 * {@code dbt_platform_webhook_deliveries_total{event,outcome}} and the attempt duration
 * {@code dbt_platform_webhook_delivery_seconds{event,outcome}}. Tags are the event type and the
 * outcome only, never the subscription or URL, so the number of series stays small.
 */
public final class WebhookMetrics {
  static final String DELIVERIES = "dbt_platform_webhook_deliveries";
  static final String DURATION = "dbt_platform_webhook_delivery";

  /** How an attempt ended for its delivery. */
  enum Outcome {
    /** the receiver answered 2xx */
    DELIVERED("delivered"),
    /** it did not, and another attempt is scheduled */
    RETRYING("retrying"),
    /** it did not, and the delivery was given up (or was a test, which is never retried) */
    FAILED("failed");

    final String tag;

    Outcome(String tag) {
      this.tag = tag;
    }
  }

  private final MeterRegistry registry;

  public WebhookMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void attempted(String event, Outcome outcome, Duration took) {
    Counter.builder(DELIVERIES)
        .description("Webhook delivery attempts by event type and outcome (delivered, retrying, failed)")
        .tag("event", event)
        .tag("outcome", outcome.tag)
        .register(registry)
        .increment();
    Timer.builder(DURATION)
        .description("How long webhook delivery attempts took, by event type and outcome")
        .tag("event", event)
        .tag("outcome", outcome.tag)
        .publishPercentileHistogram()
        .register(registry)
        .record(took);
  }
}
