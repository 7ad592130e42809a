package dev.dbtplatform.contract;

import java.time.Instant;
import java.util.List;

/**
 * The machine-readable result of a run, written by the run runtime to
 * {@link RunVolumeLayout#SUMMARY_FILE} and, shortened to fit, to the pod's termination message.
 *
 * @param outcome how the run ended
 * @param reason a CamelCase reason: StepFailed, Timeout, Terminated, CloneFailed, InvalidConfig ...
 * @param message a sentence for a person
 * @param gitSha the commit that ran, null when the clone failed
 * @param gitBranch the branch that ran, null when a tag or detached commit ran
 * @param startedAt when the runtime started
 * @param finishedAt when the runtime finished
 * @param steps every step, finished or skipped
 */
public record RunSummary(
    RunOutcome outcome,
    String reason,
    String message,
    String gitSha,
    String gitBranch,
    Instant startedAt,
    Instant finishedAt,
    List<StepResult> steps) {

  public RunSummary {
    steps = steps == null ? List.of() : List.copyOf(steps);
  }

  public String toJson() {
    return Json.write(this);
  }

  public static RunSummary fromJson(String json) {
    return Json.read(json, RunSummary.class);
  }

  /**
   * The summary as a termination message: Kubernetes keeps only 4 KiB, so step names and
   * commands (which the operator knows from the run's spec) and then the message are dropped
   * when the whole does not fit.
   */
  public String toTerminationMessage() {
    String full = toJson();
    if (Json.utf8Length(full) <= RuntimeEnv.TERMINATION_MESSAGE_LIMIT) {
      return full;
    }
    List<StepResult> shortSteps = steps.stream().map(StepResult::withoutNames).toList();
    String shorter = new RunSummary(outcome, reason, message, gitSha, gitBranch, startedAt, finishedAt, shortSteps).toJson();
    if (Json.utf8Length(shorter) <= RuntimeEnv.TERMINATION_MESSAGE_LIMIT) {
      return shorter;
    }
    return new RunSummary(outcome, reason, null, gitSha, gitBranch, startedAt, finishedAt, shortSteps).toJson();
  }
}
