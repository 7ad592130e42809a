package dev.dbtplatform.operator.job;

import dev.dbtplatform.crd.DbtJobStatus;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunStatus;
import dev.dbtplatform.crd.RunPhase;
import dev.dbtplatform.crd.SuccessfulRun;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The runs part of a job's status: which runs have not ended, which ended last and how, and the
 * latest successful one whose artifacts are saved (the state deferring jobs compare against).
 */
final class JobRunSummary {
  private JobRunSummary() {}

  static void fill(DbtJobStatus status, List<DbtRun> runs) {
    status.activeRuns = runs.stream()
        .filter(run -> run.getStatus() == null || run.getStatus().phase == null || !run.getStatus().phase.isTerminal())
        .map(run -> run.getMetadata().getName())
        .sorted()
        .toList();
    runs.stream()
        .filter(run -> run.getStatus() != null && run.getStatus().phase != null && run.getStatus().phase.isTerminal())
        .filter(run -> CompletionTriggers.finishedAt(run) != null)
        // the name breaks ties, so two runs that ended in the same instant give one stable answer
        .max(Comparator.comparing((DbtRun run) -> CompletionTriggers.finishedAt(run))
            .thenComparing(run -> run.getMetadata().getName()))
        .ifPresent(last -> {
          status.lastCompletedRun = last.getMetadata().getName();
          status.lastCompletedPhase = last.getStatus().phase.name();
          status.lastCompletedTime = Objects.requireNonNull(CompletionTriggers.finishedAt(last)).toString();
        });
    runs.stream()
        .filter(JobRunSummary::succeededAndSaved)
        .max(Comparator.comparing((DbtRun run) -> CompletionTriggers.finishedAt(run))
            .thenComparing(run -> run.getMetadata().getName()))
        .filter(newest -> isNewer(newest, status.lastSuccessfulRun))
        .ifPresent(newest -> status.lastSuccessfulRun = new SuccessfulRun(newest.getMetadata().getName(),
            Objects.requireNonNull(CompletionTriggers.finishedAt(newest)).toString(),
            newest.getStatus().logs.bucket, newest.getStatus().logs.prefix));
  }

  /** Only a run whose artifacts are in the store can be deferred to; cleanup may delete it later. */
  static boolean succeededAndSaved(DbtRun run) {
    DbtRunStatus status = run.getStatus();
    return status != null && status.phase == RunPhase.Succeeded && CompletionTriggers.finishedAt(run) != null
        && status.logs != null && status.logs.flushedAt != null && status.logs.bucket != null && status.logs.prefix != null;
  }

  /** The recorded run is kept when its DbtRun is gone, until a newer one replaces it. */
  private static boolean isNewer(DbtRun run, SuccessfulRun recorded) {
    if (recorded == null || recorded.finishedAt == null) {
      return true;
    }
    try {
      Instant finished = Objects.requireNonNull(CompletionTriggers.finishedAt(run));
      Instant before = Instant.parse(recorded.finishedAt);
      return finished.isAfter(before) || finished.equals(before) && !run.getMetadata().getName().equals(recorded.name);
    } catch (DateTimeParseException e) {
      return true;
    }
  }
}
