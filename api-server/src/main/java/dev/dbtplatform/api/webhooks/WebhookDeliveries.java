package dev.dbtplatform.api.webhooks;

import static dev.dbtplatform.api.db.generated.Tables.WEBHOOK_DELIVERIES;
import static dev.dbtplatform.api.db.generated.Tables.WEBHOOK_DELIVERY_ATTEMPTS;
import static dev.dbtplatform.api.db.generated.Tables.WEBHOOK_SUBSCRIPTIONS;

import dev.dbtplatform.api.db.Database;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The delivery queue and log. Workers in any number of API replicas claim due deliveries with
 * {@code FOR UPDATE SKIP LOCKED} and push their next attempt past a lease in the same
 * transaction, so no two workers send the same delivery, and none holds a transaction open while
 * it waits for a receiver.
 */
public final class WebhookDeliveries {
  static final String DELIVERED = "delivered";
  static final String FAILED = "failed";
  static final String SKIPPED = "skipped";
  static final int PRUNE_BATCH = 1000;

  /**
   * A delivery a worker has claimed, with what it needs to send it. {@code storedSecret} is the
   * signing secret as stored (sealed, or marked plain): the sender opens it to sign.
   */
  record Claimed(long id, long subscriptionId, String eventType, String clientUrl, String storedSecret, String payload,
                 int attempts) {
    @Override
    public String toString() { // keep the secret out of logs
      return "Claimed[delivery " + id + ", subscription " + subscriptionId + ", attempt " + (attempts + 1) + "]";
    }
  }

  /** One attempt as the delivery log shows it. */
  public record Attempt(int attempt, OffsetDateTime startedAt, long durationMs, Integer statusCode, String error) {}

  /** One delivery as the log shows it, with its attempts in order; a test delivery has no run. */
  public record LogEntry(long id, String eventId, String eventType, Long runId, String status, int attempts,
                         OffsetDateTime nextAttemptAt, Integer lastStatusCode, String lastError,
                         OffsetDateTime deliveredAt, OffsetDateTime createdAt, String payload,
                         List<Attempt> attemptLog) {}

  /** A page of a subscription's deliveries, newest first, and how many it has in all. */
  public record Page(List<LogEntry> deliveries, long totalCount) {}

  private final Database db;

  public WebhookDeliveries(Database db) {
    this.db = db;
  }

  /**
   * Takes up to {@code limit} deliveries that are due at {@code now} (and match {@code scope}).
   * Deliveries whose subscription was deactivated are marked skipped instead.
   */
  List<Claimed> claimDue(OffsetDateTime now, int limit, Duration lease, Condition scope) {
    return db.dsl().transactionResult(tx -> {
      DSLContext dsl = tx.dsl();
      var due = dsl.select(WEBHOOK_DELIVERIES.ID, WEBHOOK_DELIVERIES.SUBSCRIPTION_ID, WEBHOOK_DELIVERIES.PAYLOAD,
              WEBHOOK_DELIVERIES.ATTEMPTS, WEBHOOK_SUBSCRIPTIONS.CLIENT_URL, WEBHOOK_SUBSCRIPTIONS.HMAC_SECRET,
              WEBHOOK_SUBSCRIPTIONS.ACTIVE, WEBHOOK_DELIVERIES.EVENT_TYPE)
          .from(WEBHOOK_DELIVERIES)
          .join(WEBHOOK_SUBSCRIPTIONS).on(WEBHOOK_SUBSCRIPTIONS.ID.eq(WEBHOOK_DELIVERIES.SUBSCRIPTION_ID))
          .where(WEBHOOK_DELIVERIES.STATUS.eq(WebhookOutbox.PENDING), WEBHOOK_DELIVERIES.NEXT_ATTEMPT_AT.le(now), scope)
          .orderBy(WEBHOOK_DELIVERIES.NEXT_ATTEMPT_AT, WEBHOOK_DELIVERIES.ID)
          .limit(limit)
          .forUpdate().of(WEBHOOK_DELIVERIES).skipLocked()
          .fetch();
      List<Long> inactive = due.stream().filter(r -> !Boolean.TRUE.equals(r.value7())).map(r -> r.value1()).toList();
      if (!inactive.isEmpty()) {
        dsl.update(WEBHOOK_DELIVERIES)
            .set(WEBHOOK_DELIVERIES.STATUS, SKIPPED)
            .set(WEBHOOK_DELIVERIES.NEXT_ATTEMPT_AT, (OffsetDateTime) null)
            .set(WEBHOOK_DELIVERIES.LAST_ERROR, "the subscription was inactive when the delivery was due")
            .where(WEBHOOK_DELIVERIES.ID.in(inactive))
            .execute();
      }
      List<Claimed> claimed = due.stream().filter(r -> Boolean.TRUE.equals(r.value7()))
          .map(r -> new Claimed(r.value1(), r.value2(), r.value8(), r.value5(), r.value6(), r.value3(), r.value4()))
          .toList();
      if (!claimed.isEmpty()) {
        dsl.update(WEBHOOK_DELIVERIES)
            .set(WEBHOOK_DELIVERIES.NEXT_ATTEMPT_AT, now.plus(lease))
            .where(WEBHOOK_DELIVERIES.ID.in(claimed.stream().map(Claimed::id).toList()))
            .execute();
      }
      return claimed;
    });
  }

  /**
   * Records an attempt and what follows from it: delivered, another attempt at {@code retryAt},
   * or failed for good when that is null. The subscription shows the latest answer.
   */
  void recordAttempt(Claimed delivery, OffsetDateTime startedAt, AttemptOutcome outcome, OffsetDateTime retryAt) {
    db.dsl().transaction(tx -> recordAttempt(tx.dsl(), delivery.id(), delivery.subscriptionId(), delivery.attempts() + 1,
        startedAt, outcome, retryAt));
  }

  /**
   * Logs a test delivery, sent once and never retried, with its one attempt: it belongs to no run,
   * and the worker never claims it (it is delivered or failed from the start).
   */
  void recordTest(WebhookSubscription subscription, String eventId, String payload, OffsetDateTime startedAt,
                  AttemptOutcome outcome) {
    db.dsl().transaction(tx -> {
      DSLContext dsl = tx.dsl();
      long id = dsl.insertInto(WEBHOOK_DELIVERIES)
          .set(WEBHOOK_DELIVERIES.SUBSCRIPTION_ID, subscription.id())
          .set(WEBHOOK_DELIVERIES.ACCOUNT_ID, subscription.accountId())
          .set(WEBHOOK_DELIVERIES.EVENT_TYPE, WebhookPayload.TEST_EVENT)
          .set(WEBHOOK_DELIVERIES.EVENT_ID, eventId)
          .set(WEBHOOK_DELIVERIES.PAYLOAD, payload)
          .set(WEBHOOK_DELIVERIES.STATUS, outcome.delivered() ? DELIVERED : FAILED)
          .set(WEBHOOK_DELIVERIES.CREATED_AT, startedAt)
          .returning(WEBHOOK_DELIVERIES.ID)
          .fetchOne()
          .getId();
      recordAttempt(dsl, id, subscription.id(), 1, startedAt, outcome, null);
    });
  }

  private static void recordAttempt(DSLContext dsl, long deliveryId, long subscriptionId, int attempt,
                                    OffsetDateTime startedAt, AttemptOutcome outcome, OffsetDateTime retryAt) {
    String status = outcome.delivered() ? DELIVERED : retryAt != null ? WebhookOutbox.PENDING : FAILED;
    dsl.insertInto(WEBHOOK_DELIVERY_ATTEMPTS)
        .set(WEBHOOK_DELIVERY_ATTEMPTS.DELIVERY_ID, deliveryId)
        .set(WEBHOOK_DELIVERY_ATTEMPTS.ATTEMPT, attempt)
        .set(WEBHOOK_DELIVERY_ATTEMPTS.STARTED_AT, startedAt)
        .set(WEBHOOK_DELIVERY_ATTEMPTS.DURATION_MS, outcome.took().toMillis())
        .set(WEBHOOK_DELIVERY_ATTEMPTS.STATUS_CODE, outcome.statusCode())
        .set(WEBHOOK_DELIVERY_ATTEMPTS.ERROR, outcome.error())
        .execute();
    dsl.update(WEBHOOK_DELIVERIES)
        .set(WEBHOOK_DELIVERIES.ATTEMPTS, attempt)
        .set(WEBHOOK_DELIVERIES.STATUS, status)
        .set(WEBHOOK_DELIVERIES.NEXT_ATTEMPT_AT, outcome.delivered() ? null : retryAt)
        .set(WEBHOOK_DELIVERIES.LAST_STATUS_CODE, outcome.statusCode())
        .set(WEBHOOK_DELIVERIES.LAST_ERROR, outcome.delivered() ? null : outcome.describe())
        .set(WEBHOOK_DELIVERIES.DELIVERED_AT, outcome.delivered() ? startedAt.plus(outcome.took()) : null)
        .where(WEBHOOK_DELIVERIES.ID.eq(deliveryId))
        .execute();
    var subscription = dsl.update(WEBHOOK_SUBSCRIPTIONS).set(WEBHOOK_SUBSCRIPTIONS.DISPATCHED_AT, startedAt);
    if (outcome.statusCode() != null) {
      subscription = subscription.set(WEBHOOK_SUBSCRIPTIONS.HTTP_STATUS_CODE, outcome.statusCode());
    }
    subscription.where(WEBHOOK_SUBSCRIPTIONS.ID.eq(subscriptionId)).execute();
  }

  /**
   * Deletes finished deliveries (delivered, failed or skipped) made before {@code cutoff}, with
   * their attempts, in batches; pending ones stay however old. Safe in several replicas at once:
   * each batch skips rows another replica is deleting, and deleting a row twice deletes nothing.
   *
   * @return how many were deleted
   */
  int prune(OffsetDateTime cutoff, Condition scope) {
    int deleted = 0;
    int batch;
    do {
      batch = db.dsl().deleteFrom(WEBHOOK_DELIVERIES)
          .where(WEBHOOK_DELIVERIES.ID.in(DSL.select(WEBHOOK_DELIVERIES.ID).from(WEBHOOK_DELIVERIES)
              .where(WEBHOOK_DELIVERIES.STATUS.in(DELIVERED, FAILED, SKIPPED), WEBHOOK_DELIVERIES.CREATED_AT.lt(cutoff),
                  scope)
              .limit(PRUNE_BATCH)
              .forUpdate().skipLocked()))
          .execute();
      deleted += batch;
    } while (batch == PRUNE_BATCH);
    return deleted;
  }

  /** A subscription's deliveries, newest first, with every attempt. */
  public Page log(long subscriptionId, int limit, int offset) {
    Condition where = WEBHOOK_DELIVERIES.SUBSCRIPTION_ID.eq(subscriptionId);
    var rows = db.dsl().selectFrom(WEBHOOK_DELIVERIES).where(where)
        .orderBy(WEBHOOK_DELIVERIES.ID.desc()).limit(limit).offset(offset).fetch();
    Map<Long, List<Attempt>> attempts = db.dsl().selectFrom(WEBHOOK_DELIVERY_ATTEMPTS)
        .where(WEBHOOK_DELIVERY_ATTEMPTS.DELIVERY_ID.in(rows.map(r -> r.getId())))
        .orderBy(WEBHOOK_DELIVERY_ATTEMPTS.ATTEMPT, WEBHOOK_DELIVERY_ATTEMPTS.ID)
        .fetch().stream()
        .collect(Collectors.groupingBy(a -> a.getDeliveryId(), Collectors.mapping(
            a -> new Attempt(a.getAttempt(), a.getStartedAt(), a.getDurationMs(), a.getStatusCode(), a.getError()),
            Collectors.toList())));
    List<LogEntry> entries = rows.map(r -> new LogEntry(r.getId(), r.getEventId(), r.getEventType(), r.getRunId(),
        r.getStatus(), r.getAttempts(), r.getNextAttemptAt(), r.getLastStatusCode(), r.getLastError(),
        r.getDeliveredAt(), r.getCreatedAt(), r.getPayload(), attempts.getOrDefault(r.getId(), List.of())));
    return new Page(entries, db.dsl().fetchCount(WEBHOOK_DELIVERIES, where));
  }

  /** Every condition: what production workers claim from. */
  static Condition everywhere() {
    return DSL.noCondition();
  }
}
