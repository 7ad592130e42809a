package dev.dbtplatform.contract;

/** The state of one step of a run. */
public enum StepStatus {
  Pending,
  Running,
  Succeeded,
  Failed,
  /** Not run because an earlier step failed, the run was cancelled or timed out. */
  Skipped,
  Cancelled,
  TimedOut;

  public boolean isFinished() {
    return this != Pending && this != Running;
  }
}
