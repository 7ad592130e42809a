package dev.dbtplatform.operator.cleanup;

import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * When a finished DbtRun may be deleted. Its history stays in the API's database and its logs in
 * the object store, so the custom resource is only clutter once it is over and its logs are out
 * of the cluster; until both are true it is kept, however old it is.
 */
final class RunExpiry {
  private RunExpiry() {}

  /** Why a run may go; each is a metric reason. */
  enum Reason {
    /** finished, logs and artifacts uploaded */
    EXPIRED_FLUSHED("expired-flushed"),
    /** finished before it ever got a volume: there was nothing to upload */
    EXPIRED_WITHOUT_VOLUME("expired-without-volume");

    final String metricTag;

    Reason(String metricTag) {
      this.metricTag = metricTag;
    }
  }

  /**
   * @param ttl how long after its end a run is kept; zero keeps runs forever
   * @param volumeExists whether a volume of the run is in the cluster (asked only of unflushed runs)
   * @return why the run may be deleted now, or empty to keep it
   */
  static Optional<Reason> deletable(DbtRun run, Instant now, Duration ttl, VolumeCheck volumeExists) {
    DbtRunStatus status = run.getStatus();
    if (ttl.isZero() || ttl.isNegative() || status == null || status.phase == null || !status.phase.isTerminal()) {
      return Optional.empty();
    }
    Optional<Instant> finished = parse(status.finishedAt);
    if (finished.isEmpty() || now.isBefore(finished.get().plus(ttl))) {
      return Optional.empty();
    }
    if (status.logs != null && status.logs.flushedAt != null) {
      return Optional.of(Reason.EXPIRED_FLUSHED);
    }
    // Not flushed: only a run that never had a volume has nothing that still waits for the upload.
    if (status.volumeName == null && !volumeExists.of(run)) {
      return Optional.of(Reason.EXPIRED_WITHOUT_VOLUME);
    }
    return Optional.empty();
  }

  /** Whether the cluster holds a volume of the run. */
  @FunctionalInterface
  interface VolumeCheck {
    boolean of(DbtRun run);
  }

  private static Optional<Instant> parse(String time) {
    if (time == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(time));
    } catch (DateTimeParseException e) {
      return Optional.empty(); // a time nobody can read starts no countdown
    }
  }
}
