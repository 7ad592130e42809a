package dev.dbtplatform.api.develop;

import java.time.Duration;
import java.util.Map;

/**
 * How the API server reaches develop sessions.
 *
 * @param resumeWait how long a request to a stopped or starting session waits for it to be ready
 *     before it is answered 503 with Retry-After (a resume takes seconds: a pod on a kept volume)
 * @param activityInterval the least time between two last-activity writes for one session from
 *     one API process: the idle timeout is minutes to days, so being off by this much does not
 *     matter, and a busy editor must not write the session at every request
 * @param pollInterval how often a waiting request reads the session again
 * @param connectTimeout the most connecting to a develop runtime may take
 * @param answerTimeout the most a develop runtime may take to start answering (its headers; a
 *     streamed body may then take as long as the command runs)
 */
public record DevelopSettings(Duration resumeWait, Duration activityInterval, Duration pollInterval,
                              Duration connectTimeout, Duration answerTimeout) {
  public static final String RESUME_WAIT_SECONDS = "DBT_PLATFORM_DEVELOP_RESUME_WAIT_SECONDS";

  public DevelopSettings {
    for (Duration d : new Duration[] {resumeWait, activityInterval, pollInterval, connectTimeout, answerTimeout}) {
      if (d == null || d.isNegative()) {
        throw new IllegalArgumentException("develop session settings need times of zero or more");
      }
    }
    if (pollInterval.isZero() || connectTimeout.isZero() || answerTimeout.isZero()) {
      throw new IllegalArgumentException("develop session polling and timeouts must be positive");
    }
  }

  /** A minute to resume, activity written at most every 30 s, 10 minutes for a runtime to start answering. */
  public static DevelopSettings defaults() {
    return new DevelopSettings(Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofMillis(250),
        Duration.ofSeconds(5), Duration.ofMinutes(10));
  }

  /**
   * The defaults, with what the environment sets instead.
   *
   * @throws IllegalArgumentException naming the variable that is wrong and what it may be
   */
  public static DevelopSettings fromEnv(Map<String, String> env) {
    DevelopSettings d = defaults();
    String value = env.get(RESUME_WAIT_SECONDS);
    if (value == null || value.isBlank()) {
      return d;
    }
    long seconds;
    try {
      seconds = Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(RESUME_WAIT_SECONDS + " must be a whole number from 0 to 600, got '" + value + "'");
    }
    if (seconds < 0 || seconds > 600) {
      throw new IllegalArgumentException(RESUME_WAIT_SECONDS + " must be from 0 to 600, got " + seconds);
    }
    return d.withResumeWait(Duration.ofSeconds(seconds));
  }

  public DevelopSettings withResumeWait(Duration value) {
    return new DevelopSettings(value, activityInterval, pollInterval, connectTimeout, answerTimeout);
  }

  public DevelopSettings withActivityInterval(Duration value) {
    return new DevelopSettings(resumeWait, value, pollInterval, connectTimeout, answerTimeout);
  }
}
