package dev.dbtplatform.api.develop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.crd.DbtDevelopSession;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells the operator about a session's activity and stop requests, in the annotations it reads
 * (see ApiGroup). Only the API server sees the requests, so it is the one to write them. Activity
 * is written at most once per {@code interval} per session by this process: the operator only
 * needs it to within the idle timeout, and every write is an update event for the operator.
 * Writes are JSON merge patches of one annotation, so they never conflict with the operator's
 * status writes or each other.
 */
public final class ActivityReporter {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Sessions this process remembers a write for; far more than one server has users. */
  private static final int MAX_REMEMBERED = 10_000;

  private final KubernetesClient cluster;
  private final Clock clock;
  private final Duration interval;
  /** The last activity written, by session UID: a re-created session of the same name starts afresh. */
  private final ConcurrentHashMap<String, Instant> written = new ConcurrentHashMap<>();

  public ActivityReporter(KubernetesClient cluster, Clock clock, Duration interval) {
    this.cluster = cluster;
    this.clock = clock;
    this.interval = interval;
  }

  /**
   * Records activity now, unless this process did less than the interval ago.
   *
   * @return whether it wrote
   */
  public boolean touch(DbtDevelopSession session) {
    Instant now = now();
    boolean[] due = {false};
    remember().compute(session.getMetadata().getUid(), (uid, last) -> {
      if (last == null || !now.isBefore(last.plus(interval))) {
        due[0] = true;
        return now;
      }
      return last;
    });
    if (due[0]) {
      write(session, ApiGroup.LAST_ACTIVITY_ANNOTATION, now);
    }
    return due[0];
  }

  /** Records activity now whatever was written before: what resumes a stopped session. */
  public void touchNow(DbtDevelopSession session) {
    Instant now = now();
    remember().put(session.getMetadata().getUid(), now);
    write(session, ApiGroup.LAST_ACTIVITY_ANNOTATION, now);
  }

  /** Asks the operator to stop the session; the next activity after it resumes the session. */
  public void requestStop(DbtDevelopSession session) {
    Instant now = now();
    write(session, ApiGroup.STOP_REQUESTED_ANNOTATION, now);
    // so that the next dbt command or preview is written at once and resumes the session
    written.remove(session.getMetadata().getUid());
  }

  public void forget(DbtDevelopSession session) {
    written.remove(session.getMetadata().getUid());
  }

  /**
   * Millisecond times: the operator compares activity with the stop request, and a stop and a
   * request made in the same second must still be told apart.
   */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private ConcurrentHashMap<String, Instant> remember() {
    if (written.size() > MAX_REMEMBERED) {
      written.clear(); // at worst one extra write per session
    }
    return written;
  }

  private void write(DbtDevelopSession session, String annotation, Instant at) {
    String patch;
    try {
      patch = JSON.writeValueAsString(Map.of("metadata", Map.of("annotations", Map.of(annotation, at.toString()))));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    cluster.resources(DbtDevelopSession.class).inNamespace(session.getMetadata().getNamespace())
        .withName(session.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
  }
}
