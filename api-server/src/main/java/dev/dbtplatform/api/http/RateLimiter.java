package dev.dbtplatform.api.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per API token: each token may make {@code burst} requests at once and
 * {@code perSecond} on average, so that one runaway script cannot starve the other clients.
 * Buckets live in memory, per API server replica.
 */
final class RateLimiter {
  private static final long NANOS = 1_000_000_000L;

  private final double perSecond;
  private final int burst;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<Long, Bucket> buckets = new ConcurrentHashMap<>();

  RateLimiter(double perSecond, int burst, LongSupplier nanoTime) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.nanoTime = nanoTime;
  }

  /** @return 0 when the request may go ahead, else the seconds to wait before the next one would */
  long acquire(long tokenId) {
    return buckets.computeIfAbsent(tokenId, id -> new Bucket(burst, nanoTime.getAsLong())).take();
  }

  private final class Bucket {
    private double available;
    private long updatedAt;

    Bucket(double available, long now) {
      this.available = available;
      this.updatedAt = now;
    }

    synchronized long take() {
      long now = nanoTime.getAsLong();
      available = Math.min(burst, available + (now - updatedAt) * perSecond / NANOS);
      updatedAt = now;
      if (available >= 1) {
        available -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - available) / perSecond));
    }
  }
}
