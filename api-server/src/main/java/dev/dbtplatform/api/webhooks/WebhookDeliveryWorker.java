package dev.dbtplatform.api.webhooks;

import dev.dbtplatform.api.db.Database;
import dev.dbtplatform.api.webhooks.WebhookMetrics.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jooq.Condition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends due webhook deliveries, in every API replica: claims a batch, posts them all at once and
 * waits at most the timeout, then records each outcome and when to try again. Once an hour it
 * also removes finished deliveries older than the retention from the log. Logs name deliveries
 * and subscriptions by id, never their secret or the body.
 */
public final class WebhookDeliveryWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDeliveryWorker.class);
  /** How often the delivery log is pruned: retention is counted in days, so hourly is plenty. */
  static final Duration PRUNE_INTERVAL = Duration.ofHours(1);

  private final WebhookDeliveries deliveries;
  private final WebhookDeliverySettings settings;
  private final WebhookMetrics metrics;
  private final Clock clock;
  private final Condition scope;
  private final WebhookSender sender;
  private Instant nextPrune;
  private ScheduledExecutorService scheduler;

  public WebhookDeliveryWorker(Database db, WebhookDeliverySettings settings, WebhookSecrets secrets,
                               WebhookMetrics metrics, Clock clock) {
    this(db, settings, secrets, metrics, clock, WebhookDeliveries.everywhere());
  }

  /** @param scope which deliveries this worker takes and prunes: tests that share a database keep to their own */
  WebhookDeliveryWorker(Database db, WebhookDeliverySettings settings, WebhookSecrets secrets, WebhookMetrics metrics,
                        Clock clock, Condition scope) {
    this.deliveries = new WebhookDeliveries(db);
    this.settings = settings;
    this.metrics = metrics;
    this.clock = clock;
    this.scope = scope;
    this.sender = new WebhookSender(settings.timeout(), secrets);
    this.nextPrune = clock.instant(); // the first poll prunes what piled up while no server ran
  }

  /** Looks for due deliveries every poll interval until closed. */
  public WebhookDeliveryWorker start() {
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "webhook-delivery");
      t.setDaemon(true);
      return t;
    });
    long every = settings.pollInterval().toMillis();
    scheduler.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
    return this;
  }

  /** One poll: every due delivery, and the log's retention when it is time. */
  void poll() {
    deliverAllDue();
    if (settings.prunes() && !clock.instant().isBefore(nextPrune)) {
      nextPrune = clock.instant().plus(PRUNE_INTERVAL);
      try {
        int pruned = pruneFinished();
        if (pruned > 0) {
          LOG.info("removed {} finished webhook deliveries older than {} days from the delivery log", pruned,
              settings.retention().toDays());
        }
      } catch (RuntimeException e) {
        LOG.warn("the webhook delivery log could not be pruned (tried again in an hour): {}", e.toString());
      }
    }
  }

  /** Sends batches until nothing is due; a failure is logged and the next poll tries again. */
  void deliverAllDue() {
    try {
      while (deliverDue() == settings.batchSize() && !Thread.currentThread().isInterrupted()) {
        // a full batch: there may be more
      }
    } catch (RuntimeException e) {
      LOG.warn("webhook deliveries could not be sent (retried at the next poll): {}", e.toString());
    }
  }

  /** Sends one batch of due deliveries; answers how many it attempted. */
  int deliverDue() {
    OffsetDateTime now = OffsetDateTime.now(clock);
    List<WebhookDeliveries.Claimed> batch = deliveries.claimDue(now, settings.batchSize(), settings.lease(), scope);
    List<Sending> sending = new ArrayList<>();
    for (WebhookDeliveries.Claimed delivery : batch) {
      OffsetDateTime startedAt = OffsetDateTime.now(clock);
      sending.add(new Sending(delivery, startedAt,
          sender.start(delivery.clientUrl(), delivery.storedSecret(), delivery.payload())));
    }
    for (Sending s : sending) {
      finish(s.delivery, s.startedAt, sender.outcome(s.attempt));
    }
    return batch.size();
  }

  /**
   * Deletes the finished deliveries (delivered, failed, skipped) made longer than the retention
   * ago; nothing when the retention is zero.
   */
  int pruneFinished() {
    if (!settings.prunes()) {
      return 0;
    }
    return deliveries.prune(OffsetDateTime.now(clock).minus(settings.retention()), scope);
  }

  private void finish(WebhookDeliveries.Claimed delivery, OffsetDateTime startedAt, AttemptOutcome outcome) {
    int attemptsMade = delivery.attempts() + 1;
    OffsetDateTime retryAt = null;
    if (!outcome.delivered() && outcome.retriable() && attemptsMade < settings.maxAttempts()) {
      OffsetDateTime now = OffsetDateTime.now(clock);
      Duration wait = RetryAfter.wait(settings.retryDelay(attemptsMade),
          RetryAfter.parse(outcome.retryAfter(), now.toInstant()));
      retryAt = now.plus(wait);
    }
    if (!outcome.delivered()) {
      LOG.info("webhook delivery {} (subscription {}) attempt {} failed: {}; {}", delivery.id(),
          delivery.subscriptionId(), attemptsMade, outcome.describe(),
          retryAt != null ? "retrying at " + retryAt : "giving up");
    }
    deliveries.recordAttempt(delivery, startedAt, outcome, retryAt);
    metrics.attempted(delivery.eventType(),
        outcome.delivered() ? Outcome.DELIVERED : retryAt != null ? Outcome.RETRYING : Outcome.FAILED, outcome.took());
  }

  private record Sending(WebhookDeliveries.Claimed delivery, OffsetDateTime startedAt, WebhookSender.Attempt attempt) {}

  @Override
  public void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      try {
        scheduler.awaitTermination(settings.timeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
