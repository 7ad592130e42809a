package dev.dbtplatform.operator.develop;

import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.crd.DbtDevelopSession;
import dev.dbtplatform.crd.DbtDevelopSessionSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Whether a session should be running now. Activity (dbt commands and previews, as in dbt Cloud;
 * file saves do not count) and stop requests are times in annotations the API server writes; the
 * later one wins, so the request after a stop resumes the session. Without activity the session
 * counts from its creation.
 *
 * @param lastActivity the latest activity, or the creation time
 * @param stopRequested the latest stop request, or null
 * @param idleTimeout how long the session runs after its last activity
 */
record SessionActivity(Instant lastActivity, Instant stopRequested, Duration idleTimeout) {

  static SessionActivity of(DbtDevelopSession session) {
    Map<String, String> annotations = session.getMetadata().getAnnotations();
    Instant created = parse(session.getMetadata().getCreationTimestamp());
    Instant activity = parse(annotations == null ? null : annotations.get(ApiGroup.LAST_ACTIVITY_ANNOTATION));
    Instant stop = parse(annotations == null ? null : annotations.get(ApiGroup.STOP_REQUESTED_ANNOTATION));
    Instant last = activity == null || (created != null && created.isAfter(activity)) ? created : activity;
    Long seconds = session.getSpec() == null ? null : session.getSpec().idleTimeoutSeconds;
    return new SessionActivity(last == null ? Instant.EPOCH : last, stop,
        Duration.ofSeconds(seconds == null || seconds < 1 ? DbtDevelopSessionSpec.DEFAULT_IDLE_TIMEOUT_SECONDS : seconds));
  }

  boolean stopWasRequested() {
    return stopRequested != null && !lastActivity.isAfter(stopRequested);
  }

  Instant idleAt() {
    return lastActivity.plus(idleTimeout);
  }

  boolean wantsToRun(Instant now) {
    return !stopWasRequested() && now.isBefore(idleAt());
  }

  private static Instant parse(String text) {
    try {
      return text == null || text.isBlank() ? null : Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null; // a hand-written annotation that does not parse counts as none
    }
  }
}
