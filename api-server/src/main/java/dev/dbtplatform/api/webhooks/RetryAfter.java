package dev.dbtplatform.api.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A receiver's {@code Retry-After} on a 429 or 503: the next attempt waits at least that long,
 * but never less than the backoff would (a receiver cannot make us retry faster) and never more
 * than {@link #MAX} (a receiver cannot park a delivery for days). A header that cannot be read is
 * ignored: the backoff applies.
 */
final class RetryAfter {
  static final Duration MAX = Duration.ofHours(1);

  private RetryAfter() {}

  /** Whether a response with this status may ask for a later retry (RFC 9110: 429 and 503). */
  static boolean appliesTo(int statusCode) {
    return statusCode == 429 || statusCode == 503;
  }

  /** The wait the header asks for at {@code now}: delay-seconds, or an HTTP-date (a past one is no wait). */
  static Optional<Duration> parse(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String value = header.strip();
    if (value.chars().allMatch(Character::isDigit)) {
      try {
        return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
      } catch (NumberFormatException e) { // more digits than a long holds: as good as forever
        return Optional.of(MAX);
      }
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The wait before the next attempt: the backoff, or what the receiver asked for when that is longer. */
  static Duration wait(Duration backoff, Optional<Duration> asked) {
    if (asked.isEmpty()) {
      return backoff;
    }
    Duration capped = asked.get().compareTo(MAX) > 0 ? MAX : asked.get();
    return capped.compareTo(backoff) > 0 ? capped : backoff;
  }
}
