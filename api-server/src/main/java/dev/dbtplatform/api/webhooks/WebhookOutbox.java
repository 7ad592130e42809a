package dev.dbtplatform.api.webhooks;

import static dev.dbtplatform.api.db.generated.Tables.WEBHOOK_DELIVERIES;

import dev.dbtplatform.api.db.RunHistory;
import dev.dbtplatform.api.runs.StoredRun;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns recorded run states into pending deliveries, in the same transaction as the state, so an
 * event is neither lost when the process stops nor queued for a state that was rolled back. The
 * delivery worker sends them. Only subscriptions that existed when the event happened get it, so
 * a new subscription is not flooded with the past runs the informer's resync hands over again.
 */
public final class WebhookOutbox implements RunHistory.RecordListener {
  static final String PENDING = "pending";
  private static final Logger LOG = LoggerFactory.getLogger(WebhookOutbox.class);

  private final Clock clock;

  public WebhookOutbox(Clock clock) {
    this.clock = clock;
  }

  /**
   * In a savepoint: should queueing fail, the run's state is still recorded, and the next record
   * of the run (its next change, or the resync) queues the events, since they follow from the
   * state.
   */
  @Override
  public void recorded(DSLContext tx, StoredRun run) {
    try {
      tx.transaction(nested -> enqueue(nested.dsl(), run));
    } catch (RuntimeException e) {
      LOG.warn("cannot queue webhook deliveries of run {} (queued when the run is recorded again): {}",
          run.id(), e.toString());
    }
  }

  private void enqueue(DSLContext tx, StoredRun run) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    List<RunEvents.Occurred> events = RunEvents.of(run, now);
    if (events.isEmpty()) {
      return;
    }
    List<WebhookSubscription> subscriptions = WebhookSubscriptions.active(tx, run.accountId());
    if (subscriptions.isEmpty()) {
      return;
    }
    Set<String> queued = new HashSet<>(tx.select(WEBHOOK_DELIVERIES.SUBSCRIPTION_ID, WEBHOOK_DELIVERIES.EVENT_TYPE)
        .from(WEBHOOK_DELIVERIES).where(WEBHOOK_DELIVERIES.RUN_ID.eq(run.id()))
        .fetch(r -> key(r.value1(), r.value2())));
    for (RunEvents.Occurred occurred : events) {
      for (WebhookSubscription subscription : subscriptions) {
        if (!subscription.wants(occurred.event(), run.jobId())
            || subscription.createdAt().isAfter(occurred.at())
            || queued.contains(key(subscription.id(), occurred.event().wireName))) {
          continue;
        }
        String eventId = WebhookIds.eventId();
        tx.insertInto(WEBHOOK_DELIVERIES)
            .set(WEBHOOK_DELIVERIES.SUBSCRIPTION_ID, subscription.id())
            .set(WEBHOOK_DELIVERIES.ACCOUNT_ID, run.accountId())
            .set(WEBHOOK_DELIVERIES.RUN_ID, run.id())
            .set(WEBHOOK_DELIVERIES.EVENT_TYPE, occurred.event().wireName)
            .set(WEBHOOK_DELIVERIES.EVENT_ID, eventId)
            .set(WEBHOOK_DELIVERIES.PAYLOAD, WebhookPayload.of(subscription, occurred.event(), eventId, run, now))
            .set(WEBHOOK_DELIVERIES.STATUS, PENDING)
            .set(WEBHOOK_DELIVERIES.NEXT_ATTEMPT_AT, now)
            .set(WEBHOOK_DELIVERIES.CREATED_AT, now)
            // another replica recording the same run at the same moment queued it first
            .onConflictDoNothing()
            .execute();
      }
    }
  }

  private static String key(long subscriptionId, String eventType) {
    return subscriptionId + "/" + eventType;
  }
}
