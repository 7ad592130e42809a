package dev.dbtplatform.api.webhooks;

import dev.dbtplatform.api.db.Database;
import dev.dbtplatform.api.webhooks.WebhookMetrics.Outcome;
import java.time.Clock;
import java.time.OffsetDateTime;

/**
 * dbt Cloud's "test a webhook": one delivery of a test event to the subscription's URL, at once
 * and in the caller's thread, signed like every delivery and with the same timeout; never retried.
 * It is logged and counted like the others (event type {@value WebhookPayload#TEST_EVENT}), and
 * the subscription shows its answer as the latest. Active or not, a subscription can be tested.
 */
public final class WebhookTester {
  /**
   * What the receiver made of the test.
   *
   * @param statusCode its HTTP status, null when it did not answer
   * @param error why the test failed (no answer, or not 2xx), null when it succeeded
   */
  public record Result(Integer statusCode, String error) {}

  private final WebhookDeliveries deliveries;
  private final WebhookSender sender;
  private final WebhookMetrics metrics;
  private final Clock clock;

  public WebhookTester(Database db, WebhookDeliverySettings settings, WebhookSecrets secrets, WebhookMetrics metrics,
                       Clock clock) {
    this.deliveries = new WebhookDeliveries(db);
    this.sender = new WebhookSender(settings.timeout(), secrets);
    this.metrics = metrics;
    this.clock = clock;
  }

  public Result test(WebhookSubscription subscription) {
    OffsetDateTime startedAt = OffsetDateTime.now(clock);
    String eventId = WebhookIds.eventId();
    String payload = WebhookPayload.test(subscription, eventId, startedAt);
    AttemptOutcome outcome = sender.outcome(sender.start(subscription.clientUrl(), subscription.storedSecret(), payload));
    deliveries.recordTest(subscription, eventId, payload, startedAt, outcome);
    metrics.attempted(WebhookPayload.TEST_EVENT, outcome.delivered() ? Outcome.DELIVERED : Outcome.FAILED,
        outcome.took());
    return new Result(outcome.statusCode(), outcome.delivered() ? null : outcome.describe());
  }
}
