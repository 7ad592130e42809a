package dev.dbtplatform.operator.job;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fires this operator process already handled, by job UID. The job's status says the same
 * (lastScheduleTime) but the cached copy of a job can lag behind the operator's own status
 * write; without this a reconcile right after a fire would try the create again and count the
 * fire twice, and a missed fire would be counted at every reconcile until the next one. The
 * status and the deterministic run name stay what keeps a fire to one run across processes.
 * Entries of deleted jobs stay: a few bytes each, and a re-created job has a new UID.
 */
final class FireLedger {
  private record Fires(Instant started, Instant handled) {}

  private final Map<String, Fires> byJob = new ConcurrentHashMap<>();

  /** The latest fire that started a run, or null. */
  Instant started(String jobUid) {
    Fires fires = byJob.get(jobUid);
    return fires == null ? null : fires.started();
  }

  /** The latest fire that started a run or was reported missed, or null. */
  Instant handled(String jobUid) {
    Fires fires = byJob.get(jobUid);
    return fires == null ? null : fires.handled();
  }

  void recordStarted(String jobUid, Instant fire) {
    byJob.put(jobUid, new Fires(fire, fire));
  }

  void recordMissed(String jobUid, Instant fire) {
    byJob.compute(jobUid, (uid, fires) -> new Fires(fires == null ? null : fires.started(), fire));
  }
}
