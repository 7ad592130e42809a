package dev.dbtplatform.flush;

import java.time.Duration;
import java.util.Random;

/**
 * Exponential backoff with jitter: the first delay is {@code initial}, each next one doubles up to
 * {@code max}, and every delay is shortened by a random part of up to {@code jitter} of itself, so
 * that many flush jobs waiting for the same store do not knock in lockstep.
 */
public final class Backoff {
  public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2, new Random());

  private final Duration initial;
  private final Duration max;
  private final double jitter;
  private final Random random;

  public Backoff(Duration initial, Duration max, double jitter, Random random) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + " and " + max);
    }
    if (jitter < 0 || jitter >= 1) {
      throw new IllegalArgumentException("jitter must be in [0, 1), got " + jitter);
    }
    this.initial = initial;
    this.max = max;
    this.jitter = jitter;
    this.random = random;
  }

  /** The delay before retry number {@code retry} (1 for the first retry). */
  public Duration delay(int retry) {
    if (retry < 1) {
      throw new IllegalArgumentException("retries count from 1, got " + retry);
    }
    long maxMillis = max.toMillis();
    long millis = initial.toMillis();
    for (int i = 1; i < retry && millis < maxMillis; i++) {
      millis = Math.min(maxMillis, millis * 2);
    }
    long cut = jitter == 0 ? 0 : (long) (millis * jitter * random.nextDouble());
    return Duration.ofMillis(millis - cut);
  }
}
