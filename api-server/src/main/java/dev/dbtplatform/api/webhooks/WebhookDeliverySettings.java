package dev.dbtplatform.api.webhooks;

import java.time.Duration;
import java.util.Map;

/**
 * How deliveries are sent, and how long the delivery log keeps them.
 *
 * @param timeout the most one attempt may take, connecting included (dbt Cloud: 10 s); a test
 *     delivery gets the same
 * @param maxAttempts attempts per delivery before giving up (dbt Cloud: 5)
 * @param firstRetryDelay the wait before the second attempt; each later wait doubles
 * @param pollInterval how often a worker looks for due deliveries
 * @param batchSize deliveries a worker claims and sends at once
 * @param retention how long finished deliveries stay in the log (dbt Cloud: 30 days); zero keeps them
 */
public record WebhookDeliverySettings(Duration timeout, int maxAttempts, Duration firstRetryDelay,
                                      Duration pollInterval, int batchSize, Duration retention) {
  public static final String TIMEOUT_SECONDS = "DBT_PLATFORM_WEBHOOK_TIMEOUT_SECONDS";
  public static final String MAX_ATTEMPTS = "DBT_PLATFORM_WEBHOOK_MAX_ATTEMPTS";
  public static final String RETRY_SECONDS = "DBT_PLATFORM_WEBHOOK_RETRY_SECONDS";
  public static final String RETENTION_DAYS = "DBT_PLATFORM_WEBHOOK_DELIVERY_RETENTION_DAYS";

  public WebhookDeliverySettings {
    if (timeout.isNegative() || timeout.isZero() || maxAttempts < 1 || firstRetryDelay.isNegative()
        || pollInterval.isNegative() || pollInterval.isZero() || batchSize < 1 || retention.isNegative()) {
      throw new IllegalArgumentException("webhook delivery settings need positive times and counts");
    }
  }

  /**
   * 5 attempts: at once, then after 1, 2, 4 and 8 minutes, so about 15 minutes in all; finished
   * deliveries are kept 30 days.
   */
  public static WebhookDeliverySettings defaults() {
    return new WebhookDeliverySettings(Duration.ofSeconds(10), 5, Duration.ofMinutes(1), Duration.ofSeconds(2), 16,
        Duration.ofDays(30));
  }

  /**
   * The defaults, with what the environment sets instead.
   *
   * @throws IllegalArgumentException naming the variable that is wrong and what it may be
   */
  public static WebhookDeliverySettings fromEnv(Map<String, String> env) {
    WebhookDeliverySettings d = defaults();
    return new WebhookDeliverySettings(
        Duration.ofSeconds(whole(env, TIMEOUT_SECONDS, d.timeout().toSeconds(), 1, 300)),
        (int) whole(env, MAX_ATTEMPTS, d.maxAttempts(), 1, 20),
        Duration.ofSeconds(whole(env, RETRY_SECONDS, d.firstRetryDelay().toSeconds(), 1, 86_400)),
        d.pollInterval(), d.batchSize(),
        Duration.ofDays(whole(env, RETENTION_DAYS, d.retention().toDays(), 0, 36_500)));
  }

  public WebhookDeliverySettings withTimeout(Duration value) {
    return new WebhookDeliverySettings(value, maxAttempts, firstRetryDelay, pollInterval, batchSize, retention);
  }

  public WebhookDeliverySettings withMaxAttempts(int value) {
    return new WebhookDeliverySettings(timeout, value, firstRetryDelay, pollInterval, batchSize, retention);
  }

  public WebhookDeliverySettings withRetention(Duration value) {
    return new WebhookDeliverySettings(timeout, maxAttempts, firstRetryDelay, pollInterval, batchSize, value);
  }

  /** Whether finished deliveries are ever removed from the log. */
  public boolean prunes() {
    return !retention.isZero();
  }

  /**
   * How long a claimed delivery stays with the worker that claimed it before another may take it
   * over (the claimer stopped mid-send): longer than any attempt can take.
   */
  Duration lease() {
    return timeout.plusSeconds(60);
  }

  /** The wait after {@code attemptsMade} failed attempts. */
  Duration retryDelay(int attemptsMade) {
    return firstRetryDelay.multipliedBy(1L << Math.min(attemptsMade - 1, 20));
  }

  private static long whole(Map<String, String> env, String name, long fallback, long min, long max) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    long n;
    try {
      n = Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max + ", got '"
          + value + "'");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(name + " must be from " + min + " to " + max + ", got " + n);
    }
    return n;
  }
}
