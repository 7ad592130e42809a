package dev.dbtplatform.api.retention;

import java.time.Duration;
import java.util.Map;

/**
 * How long run history, logs and artifacts are kept, and how often the API server looks for what
 * is older.
 *
 * @param retention how long after its end a run is kept; zero keeps every run forever
 * @param interval time between passes
 */
public record RetentionSettings(Duration retention, Duration interval) {
  public static final String RETENTION_DAYS = "DBT_PLATFORM_RETENTION_DAYS";
  public static final String INTERVAL_SECONDS = "DBT_PLATFORM_RETENTION_INTERVAL_SECONDS";
  static final Duration DEFAULT_INTERVAL = Duration.ofHours(1);

  public RetentionSettings {
    if (retention.isNegative()) {
      throw new IllegalArgumentException(RETENTION_DAYS + " must be 0 (keep forever) or more, got " + retention.toDays());
    }
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException(INTERVAL_SECONDS + " must be at least 1, got " + interval.toSeconds());
    }
  }

  /** Keeps everything: no pass runs. */
  public static RetentionSettings keepForever() {
    return new RetentionSettings(Duration.ZERO, DEFAULT_INTERVAL);
  }

  /** @throws IllegalArgumentException naming the variable that is wrong */
  public static RetentionSettings fromEnv(Map<String, String> env) {
    long days = whole(env, RETENTION_DAYS, 0);
    long interval = whole(env, INTERVAL_SECONDS, DEFAULT_INTERVAL.toSeconds());
    return new RetentionSettings(Duration.ofDays(days), Duration.ofSeconds(interval));
  }

  public boolean enabled() {
    return !retention.isZero();
  }

  private static long whole(Map<String, String> env, String name, long fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
    }
  }
}
