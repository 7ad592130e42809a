package dev.dbtplatform.local.node;

import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import java.time.Duration;
import java.time.Instant;

/**
 * What the Job controller does next for one Job, from its spec and what its pods did; no I/O.
 *
 * <p>Pods run one at a time (parallelism is treated as 1) until {@code completions} (default 1) have
 * succeeded. A failed pod is replaced after {@code base * 2^(failures-1)}, capped at 6 minutes as in
 * Kubernetes, until more than {@code backoffLimit} (default 6) pods have failed. An
 * {@code activeDeadlineSeconds} counted from the Job's start fails it with DeadlineExceeded.
 */
final class JobPlanner {
  private JobPlanner() {}

  static final int DEFAULT_BACKOFF_LIMIT = 6;
  static final Duration MAX_BACKOFF = Duration.ofMinutes(6);
  static final String BACKOFF_LIMIT_EXCEEDED = "BackoffLimitExceeded";
  static final String DEADLINE_EXCEEDED = "DeadlineExceeded";

  /** What the Job's pods did. {@code lastFailure} is when the latest failed pod finished (null if none). */
  record Counts(int active, int succeeded, int failed, Instant lastFailure) {}

  sealed interface Decision permits Complete, Fail, CreatePod, Wait {}

  /** Enough pods succeeded. */
  record Complete() implements Decision {}

  /** The Job failed; its active pods are to be deleted. */
  record Fail(String reason, String message) implements Decision {}

  /** Start the next pod now. */
  record CreatePod() implements Decision {}

  /** Nothing to do before {@code until} (null: until a pod changes). */
  record Wait(Instant until) implements Decision {}

  static Decision decide(JobSpec spec, Instant startTime, Counts counts, Duration backoffBase, Instant now) {
    int completions = spec.getCompletions() == null ? 1 : spec.getCompletions();
    int backoffLimit = spec.getBackoffLimit() == null ? DEFAULT_BACKOFF_LIMIT : spec.getBackoffLimit();
    if (counts.succeeded() >= completions) {
      return new Complete();
    }
    if (counts.failed() > backoffLimit) {
      return new Fail(BACKOFF_LIMIT_EXCEEDED, "Job has reached the specified backoff limit");
    }
    Instant deadline = deadline(spec, startTime);
    if (deadline != null && !now.isBefore(deadline)) {
      return new Fail(DEADLINE_EXCEEDED, "Job was active longer than specified deadline");
    }
    if (Boolean.TRUE.equals(spec.getSuspend()) || counts.active() > 0) {
      return new Wait(deadline);
    }
    Instant next = counts.failed() == 0 || counts.lastFailure() == null
        ? now : counts.lastFailure().plus(backoff(backoffBase, counts.failed()));
    if (!now.isBefore(next)) {
      return new CreatePod();
    }
    return new Wait(deadline != null && deadline.isBefore(next) ? deadline : next);
  }

  /** The delay before the pod that follows the {@code failures}-th failure. */
  static Duration backoff(Duration base, int failures) {
    if (failures <= 0) {
      return Duration.ZERO;
    }
    Duration delay = base;
    for (int i = 1; i < failures; i++) {
      delay = delay.multipliedBy(2);
      if (delay.compareTo(MAX_BACKOFF) >= 0) {
        return MAX_BACKOFF;
      }
    }
    return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
  }

  static Instant deadline(JobSpec spec, Instant startTime) {
    Long seconds = spec.getActiveDeadlineSeconds();
    return seconds == null || startTime == null ? null : startTime.plusSeconds(seconds);
  }
}
