package dev.dbtplatform.operator.run;

import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;

/**
 * How waiting for a turn shows in a run's status. While it waits, the Queued condition is True
 * with the reason (WaitingForPreviousRun, WaitingForRunSlot) and the run's reason and message say
 * the same. The condition's transition time is when the wait began, so the wait survives a
 * restart of the operator; when the wait ends, waitSeconds records it and the condition turns
 * False. Both ends are read from the operator's clock.
 */
final class QueueStatus {
  private QueueStatus() {}

  static void waiting(DbtRun run, Turn.Wait wait, Instant now) {
    DbtRunStatus status = run.getStatus();
    status.reason = wait.reason();
    status.message = wait.message();
    status.waitSeconds = null; // held back again after its turn came (rare): measure the wait anew
    RunConditions.set(run, RunConditions.QUEUED, RunConditions.TRUE, wait.reason(), wait.message(), now);
  }

  static boolean isWaiting(DbtRunStatus status) {
    Condition queued = RunConditions.find(status, RunConditions.QUEUED);
    return queued != null && RunConditions.TRUE.equals(queued.getStatus());
  }

  /**
   * The run left the queue at {@code at}: its turn came (the pod is created next; after a restart
   * that lost that write, the pod's creation time), or it ended while waiting.
   * Records the wait once (0 for a run that never waited) and closes the Queued condition.
   */
  static void left(DbtRun run, String reason, String message, Instant at, Instant now) {
    DbtRunStatus status = run.getStatus();
    Condition queued = RunConditions.find(status, RunConditions.QUEUED);
    boolean waited = isWaiting(status);
    if (status.waitSeconds == null) {
      Instant since = waited ? Durations.parse(queued.getLastTransitionTime()) : at;
      status.waitSeconds = Math.max(0, Duration.between(since, at).toMillis()) / 1000.0;
    }
    if (waited) {
      RunConditions.set(run, RunConditions.QUEUED, RunConditions.FALSE, reason, message, now);
    }
  }
}
