package dev.dbtplatform.api.webhooks;

import dev.dbtplatform.api.db.Database;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jooq.Condition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends due webhook deliveries, in every API replica: claims a batch, posts them all at once and
 * waits at most the timeout, then records each outcome and when to try again. Logs name
 * deliveries and subscriptions by id, never their secret or the body.
 */
public final class WebhookDeliveryWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDeliveryWorker.class);

  private final WebhookDeliveries deliveries;
  private final WebhookDeliverySettings settings;
  private final Clock clock;
  private final Condition scope;
  private final WebhookSender sender;
  private ScheduledExecutorService scheduler;

  public WebhookDeliveryWorker(Database db, WebhookDeliverySettings settings, Clock clock) {
    this(db, settings, clock, WebhookDeliveries.everywhere());
  }

  /** @param scope which deliveries this worker takes: tests that share a database keep to their own */
  WebhookDeliveryWorker(Database db, WebhookDeliverySettings settings, Clock clock, Condition scope) {
    this.deliveries = new WebhookDeliveries(db);
    this.settings = settings;
    this.clock = clock;
    this.scope = scope;
    this.sender = new WebhookSender(settings.timeout());
  }

  /** Looks for due deliveries every poll interval until closed. */
  public WebhookDeliveryWorker start() {
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "webhook-delivery");
      t.setDaemon(true);
      return t;
    });
    long every = settings.pollInterval().toMillis();
    scheduler.scheduleWithFixedDelay(this::deliverAllDue, every, every, TimeUnit.MILLISECONDS);
    return this;
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
      sending.add(start(delivery));
    }
    for (Sending s : sending) {
      AttemptOutcome outcome = s.future == null ? s.refused : sender.outcome(s.future, s.startedNanos);
      finish(s.delivery, s.startedAt, outcome);
    }
    return batch.size();
  }

  private Sending start(WebhookDeliveries.Claimed delivery) {
    OffsetDateTime startedAt = OffsetDateTime.now(clock);
    long startedNanos = System.nanoTime();
    try {
      return new Sending(delivery, startedAt, startedNanos,
          sender.send(delivery.clientUrl(), delivery.secret(), delivery.payload()), null);
    } catch (RuntimeException e) { // an address the HTTP client cannot use
      return new Sending(delivery, startedAt, startedNanos, null,
          AttemptOutcome.unanswered("cannot send to the subscription's URL: " + e.getMessage(),
              java.time.Duration.ZERO));
    }
  }

  private void finish(WebhookDeliveries.Claimed delivery, OffsetDateTime startedAt, AttemptOutcome outcome) {
    int attemptsMade = delivery.attempts() + 1;
    OffsetDateTime retryAt = null;
    if (!outcome.delivered() && outcome.retriable() && attemptsMade < settings.maxAttempts()) {
      retryAt = OffsetDateTime.now(clock).plus(settings.retryDelay(attemptsMade));
    }
    if (!outcome.delivered()) {
      LOG.info("webhook delivery {} (subscription {}) attempt {} failed: {}; {}", delivery.id(),
          delivery.subscriptionId(), attemptsMade, outcome.describe(),
          retryAt != null ? "retrying at " + retryAt : "giving up");
    }
    deliveries.recordAttempt(delivery, startedAt, outcome, retryAt);
  }

  private record Sending(WebhookDeliveries.Claimed delivery, OffsetDateTime startedAt, long startedNanos,
                         CompletableFuture<HttpResponse<Void>> future, AttemptOutcome refused) {}

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
