package dev.dbtplatform.api.webhooks;

import java.time.Duration;

/**
 * How deliveries are sent.
 *
 * @param timeout the most one attempt may take, connecting included (dbt Cloud: 10 s)
 * @param maxAttempts attempts per delivery before giving up (dbt Cloud: 5)
 * @param firstRetryDelay the wait before the second attempt; each later wait doubles
 * @param pollInterval how often a worker looks for due deliveries
 * @param batchSize deliveries a worker claims and sends at once
 */
public record WebhookDeliverySettings(Duration timeout, int maxAttempts, Duration firstRetryDelay,
                                      Duration pollInterval, int batchSize) {
  public WebhookDeliverySettings {
    if (timeout.isNegative() || timeout.isZero() || maxAttempts < 1 || firstRetryDelay.isNegative()
        || pollInterval.isNegative() || pollInterval.isZero() || batchSize < 1) {
      throw new IllegalArgumentException("webhook delivery settings need positive times and counts");
    }
  }

  /** 5 attempts: at once, then after 1, 2, 4 and 8 minutes, so about 15 minutes in all. */
  public static WebhookDeliverySettings defaults() {
    return new WebhookDeliverySettings(Duration.ofSeconds(10), 5, Duration.ofMinutes(1), Duration.ofSeconds(2), 16);
  }

  public WebhookDeliverySettings withTimeout(Duration value) {
    return new WebhookDeliverySettings(value, maxAttempts, firstRetryDelay, pollInterval, batchSize);
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
}
