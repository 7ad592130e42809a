package dev.dbtplatform.operator.run;

import java.time.Duration;
import java.time.Instant;

/** Small time helpers for status fields, which hold RFC 3339 strings. */
final class Durations {
  private Durations() {}

  static Instant parse(String timestamp) {
    return timestamp == null ? null : Instant.parse(timestamp);
  }

  static Double secondsBetween(String from, String to) {
    if (from == null || to == null) {
      return null;
    }
    return Duration.between(Instant.parse(from), Instant.parse(to)).toMillis() / 1000.0;
  }

  /** "45s", "3m5s", "1h2m3s": what people read in `kubectl get dbtruns`. */
  static String human(Duration d) {
    long seconds = Math.max(0, d.toSeconds());
    long h = seconds / 3600;
    long m = (seconds % 3600) / 60;
    long s = seconds % 60;
    if (h > 0) {
      return h + "h" + m + "m" + s + "s";
    }
    if (m > 0) {
      return m + "m" + s + "s";
    }
    return s + "s";
  }
}
