package dev.dbtplatform.operator.job;

import dev.dbtplatform.crd.DbtJobStatus;
import dev.dbtplatform.crd.DbtRun;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** The runs part of a job's status: which runs have not ended, which ended last and how. */
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
  }
}
