package dev.dbtplatform.api.webhooks;

import static dev.dbtplatform.api.db.generated.Tables.WEBHOOK_SUBSCRIPTIONS;

import dev.dbtplatform.api.db.Database;
import dev.dbtplatform.api.db.generated.tables.records.WebhookSubscriptionsRecord;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An account's webhook subscriptions; every lookup is by (account, id). Signing secrets are
 * stored sealed (or marked plain, without a key) by {@link WebhookSecrets}, and never opened here.
 */
public final class WebhookSubscriptions {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookSubscriptions.class);

  /** A page of subscriptions and how many the account has in all. */
  public record Page(List<WebhookSubscription> subscriptions, long totalCount) {}

  /** A new subscription and its signing secret, which is shown this once. */
  public record Created(WebhookSubscription subscription, String secret) {
    @Override
    public String toString() { // keep the secret out of logs and assertion messages
      return "Created[" + subscription + "]";
    }
  }

  private final Database db;
  private final Clock clock;
  private final WebhookSecrets secrets;

  public WebhookSubscriptions(Database db, Clock clock, WebhookSecrets secrets) {
    this.db = db;
    this.clock = clock;
    this.secrets = secrets;
  }

  /** A new subscription with a new signing secret, which the result carries. */
  public Created create(long accountId, WebhookSpec spec) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    String secret = WebhookIds.secret();
    WebhookSubscriptionsRecord r = db.dsl().newRecord(WEBHOOK_SUBSCRIPTIONS);
    r.setPublicId(WebhookIds.subscriptionId());
    r.setAccountId(accountId);
    r.setHmacSecret(secrets.seal(secret));
    r.setHttpStatusCode(0); // never dispatched, as dbt Cloud shows it
    r.setCreatedAt(now);
    apply(spec, r, now);
    r.store();
    return new Created(toSubscription(r), secret);
  }

  /**
   * Seals the secrets stored plain (made before the server had a key, or before secrets were
   * encrypted) with the key it has now; nothing without a key. Each row is rewritten only if it
   * still holds what was read, so replicas starting together do not undo each other, and a
   * subscription deleted meanwhile is left alone.
   *
   * @return how many secrets were sealed
   */
  public int sealPlainSecrets() {
    if (!secrets.encrypts()) {
      return 0;
    }
    int sealed = 0;
    var plain = db.dsl().select(WEBHOOK_SUBSCRIPTIONS.ID, WEBHOOK_SUBSCRIPTIONS.HMAC_SECRET)
        .from(WEBHOOK_SUBSCRIPTIONS)
        .where(WEBHOOK_SUBSCRIPTIONS.HMAC_SECRET.notLike(WebhookSecrets.SEALED + "%"))
        .fetch();
    for (var row : plain) {
      String stored = row.value2();
      sealed += db.dsl().update(WEBHOOK_SUBSCRIPTIONS)
          .set(WEBHOOK_SUBSCRIPTIONS.HMAC_SECRET, secrets.seal(secrets.open(stored)))
          .where(WEBHOOK_SUBSCRIPTIONS.ID.eq(row.value1()), WEBHOOK_SUBSCRIPTIONS.HMAC_SECRET.eq(stored))
          .execute();
    }
    if (sealed > 0) {
      LOG.info("sealed the signing secrets of {} webhook subscriptions that were stored unencrypted with {}", sealed,
          WebhookSecrets.KEY_VARIABLE);
    }
    return sealed;
  }

  public Optional<WebhookSubscription> find(long accountId, String publicId) {
    return db.dsl().selectFrom(WEBHOOK_SUBSCRIPTIONS)
        .where(WEBHOOK_SUBSCRIPTIONS.ACCOUNT_ID.eq(accountId), WEBHOOK_SUBSCRIPTIONS.PUBLIC_ID.eq(publicId))
        .fetchOptional().map(WebhookSubscriptions::toSubscription);
  }

  public Page list(long accountId, int limit, int offset) {
    var where = WEBHOOK_SUBSCRIPTIONS.ACCOUNT_ID.eq(accountId);
    List<WebhookSubscription> page = db.dsl().selectFrom(WEBHOOK_SUBSCRIPTIONS).where(where)
        .orderBy(WEBHOOK_SUBSCRIPTIONS.ID).limit(limit).offset(offset)
        .fetch(WebhookSubscriptions::toSubscription);
    return new Page(page, db.dsl().fetchCount(WEBHOOK_SUBSCRIPTIONS, where));
  }

  /** Replaces what the subscription does; its id, secret and delivery state stay. */
  public Optional<WebhookSubscription> replace(long accountId, String publicId, WebhookSpec spec) {
    return db.dsl().transactionResult(tx -> {
      WebhookSubscriptionsRecord r = tx.dsl().selectFrom(WEBHOOK_SUBSCRIPTIONS)
          .where(WEBHOOK_SUBSCRIPTIONS.ACCOUNT_ID.eq(accountId), WEBHOOK_SUBSCRIPTIONS.PUBLIC_ID.eq(publicId))
          .forUpdate().fetchOne();
      if (r == null) {
        return Optional.empty();
      }
      apply(spec, r, OffsetDateTime.now(clock));
      r.store();
      return Optional.of(toSubscription(r));
    });
  }

  /** Deletes the subscription with its delivery log; pending deliveries are not sent. */
  public boolean delete(long accountId, String publicId) {
    return db.dsl().deleteFrom(WEBHOOK_SUBSCRIPTIONS)
        .where(WEBHOOK_SUBSCRIPTIONS.ACCOUNT_ID.eq(accountId), WEBHOOK_SUBSCRIPTIONS.PUBLIC_ID.eq(publicId))
        .execute() > 0;
  }

  /** The active subscriptions of an account, read in the caller's transaction. */
  static List<WebhookSubscription> active(DSLContext tx, long accountId) {
    return tx.selectFrom(WEBHOOK_SUBSCRIPTIONS)
        .where(WEBHOOK_SUBSCRIPTIONS.ACCOUNT_ID.eq(accountId), WEBHOOK_SUBSCRIPTIONS.ACTIVE.isTrue())
        .fetch(WebhookSubscriptions::toSubscription);
  }

  private static void apply(WebhookSpec spec, WebhookSubscriptionsRecord r, OffsetDateTime now) {
    r.setName(spec.name());
    r.setDescription(spec.description());
    r.setClientUrl(spec.clientUrl());
    r.setEventTypes(spec.eventTypes().stream().map(e -> e.wireName).collect(Collectors.joining(",")));
    r.setJobIds(spec.jobIds().stream().map(String::valueOf).collect(Collectors.joining(",")));
    r.setActive(spec.active());
    r.setUpdatedAt(now);
  }

  static WebhookSubscription toSubscription(WebhookSubscriptionsRecord r) {
    List<WebhookEvent> events = split(r.getEventTypes()).stream()
        .map(name -> WebhookEvent.ofWireName(name).orElseThrow(
            () -> new IllegalStateException("webhook subscription " + r.getPublicId() + " has an unknown event " + name)))
        .toList();
    List<Long> jobIds = split(r.getJobIds()).stream().map(Long::parseLong).toList();
    return new WebhookSubscription(r.getId(), r.getPublicId(), r.getAccountId(), r.getName(), r.getDescription(),
        r.getClientUrl(), events, jobIds, Boolean.TRUE.equals(r.getActive()), r.getHmacSecret(),
        r.getHttpStatusCode(), r.getDispatchedAt(), r.getCreatedAt(), r.getUpdatedAt());
  }

  private static List<String> split(String joined) {
    return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
  }
}
