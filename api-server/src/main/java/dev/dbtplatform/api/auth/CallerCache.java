package dev.dbtplatform.api.auth;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Who a token was found to be, kept for a few seconds, so that a client polling a run is not
 * looked up in the database on every request. Keyed by the token's hash, never the token. Only
 * tokens that were found are kept: an unknown one is asked about every time. What this costs is
 * the time a token deleted from the database is still accepted: at most {@link #TTL}.
 */
final class CallerCache {
  static final Duration TTL = Duration.ofSeconds(10);
  /** Far more tokens than an installation has in use at once; past it the cache starts again. */
  static final int MAX_ENTRIES = 10_000;

  private record Entry(Caller caller, long expiresAtNanos) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final LongSupplier nanoTime;

  CallerCache(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  Optional<Caller> get(String tokenHash) {
    Entry e = entries.get(tokenHash);
    if (e == null) {
      return Optional.empty();
    }
    if (nanoTime.getAsLong() - e.expiresAtNanos >= 0) {
      entries.remove(tokenHash, e);
      return Optional.empty();
    }
    return Optional.of(e.caller);
  }

  void put(String tokenHash, Caller caller) {
    if (entries.size() >= MAX_ENTRIES) {
      entries.clear();
    }
    entries.put(tokenHash, new Entry(caller, nanoTime.getAsLong() + TTL.toNanos()));
  }
}
