package dev.dbtplatform.runtime;

import dev.dbtplatform.contract.RunOutcome;
import dev.dbtplatform.contract.RunSummary;
import dev.dbtplatform.contract.StepStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps and what is known of the run so far. Synchronized because the SIGTERM hook may have
 * to write a summary from it when the main thread does not finish in time.
 */
final class RunState {
  private final Instant startedAt = Instant.now();
  private final List<Step> steps = new ArrayList<>();
  private String gitSha;
  private String gitBranch;

  synchronized void add(Step step) {
    steps.add(step);
    renumber();
  }

  /** Inserts a step after the one at {@code index} (1-based), renumbering the later ones. */
  synchronized void insertAfter(int index, Step step) {
    steps.add(index, step);
    renumber();
  }

  synchronized int size() {
    return steps.size();
  }

  /** @param position 0-based */
  synchronized Step get(int position) {
    return steps.get(position);
  }

  synchronized void start(Step step) {
    step.status = StepStatus.Running;
    step.startedAt = Instant.now();
  }

  synchronized void finish(Step step, StepStatus status, Integer exitCode) {
    step.status = status;
    step.exitCode = exitCode;
    step.finishedAt = Instant.now();
    if (step.startedAt == null) {
      step.startedAt = step.finishedAt;
    }
  }

  synchronized void setGit(String sha, String branch) {
    gitSha = sha;
    gitBranch = branch;
  }

  synchronized String gitSha() {
    return gitSha;
  }

  synchronized String gitBranch() {
    return gitBranch;
  }

  Instant startedAt() {
    return startedAt;
  }

  /** Steps that never started are Skipped; one still running gets {@code runningStatus}. */
  synchronized RunSummary summary(RunOutcome outcome, String reason, String message, StepStatus runningStatus) {
    for (Step step : steps) {
      if (step.status == StepStatus.Pending) {
        step.status = StepStatus.Skipped;
      } else if (step.status == StepStatus.Running) {
        finish(step, runningStatus, null);
      }
    }
    return new RunSummary(outcome, reason, message, gitSha, gitBranch, startedAt, Instant.now(),
        steps.stream().map(Step::toResult).toList());
  }

  private void renumber() {
    for (int i = 0; i < steps.size(); i++) {
      steps.get(i).index = i + 1;
    }
  }
}
