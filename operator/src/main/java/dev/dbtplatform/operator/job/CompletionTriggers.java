package dev.dbtplatform.operator.job;

import dev.dbtplatform.crd.DbtJob;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.JobCompletionStatus;
import dev.dbtplatform.crd.JobCompletionTrigger;
import dev.dbtplatform.crd.RunPhase;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Chained jobs: which ended runs of the job named in a job's completion trigger start a run of
 * it. A run counts when it ended in one of the trigger's phases, after the job was created and
 * at most the catch-up time ago. The time limit is what keeps old history from firing again: a
 * job applied next to a long-running upstream job does not start a run for each of its past
 * runs, and an operator that was down long does not start a burst.
 */
final class CompletionTriggers {
  private CompletionTriggers() {}

  /** The job whose runs trigger this one, or null. */
  static String upstreamJob(DbtJob job) {
    JobCompletionTrigger trigger = trigger(job);
    return trigger == null || trigger.jobRef == null ? null : trigger.jobRef.name;
  }

  /** The final phases of the upstream job's runs that start a run of this one; empty without a trigger. */
  static List<JobCompletionStatus> statuses(DbtJob job) {
    JobCompletionTrigger trigger = trigger(job);
    return trigger == null || trigger.statuses == null ? List.of() : trigger.statuses;
  }

  /** @param created when the job was created: runs that ended before are not its concern */
  static List<DbtRun> due(DbtJob job, Instant created, List<DbtRun> upstreamRuns, Instant now, Duration catchUp) {
    List<JobCompletionStatus> statuses = statuses(job);
    return upstreamRuns.stream()
        .filter(run -> endedAs(run, statuses))
        .filter(run -> {
          Instant ended = finishedAt(run);
          return ended != null && !ended.isBefore(created) && Duration.between(ended, now).compareTo(catchUp) <= 0;
        })
        .toList();
  }

  private static boolean endedAs(DbtRun run, List<JobCompletionStatus> statuses) {
    RunPhase phase = run.getStatus() == null ? null : run.getStatus().phase;
    return phase != null && phase.isTerminal() && statuses.stream().anyMatch(s -> s.name().equals(phase.name()));
  }

  static Instant finishedAt(DbtRun run) {
    if (run.getStatus() == null || run.getStatus().finishedAt == null) {
      return null;
    }
    try {
      return Instant.parse(run.getStatus().finishedAt);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static JobCompletionTrigger trigger(DbtJob job) {
    return job.getSpec() == null || job.getSpec().triggers == null ? null : job.getSpec().triggers.onJobCompletion;
  }
}
