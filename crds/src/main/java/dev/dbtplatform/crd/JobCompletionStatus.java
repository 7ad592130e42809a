package dev.dbtplatform.crd;

/** The final phases of a run that can trigger another job. */
public enum JobCompletionStatus {
  Succeeded,
  Failed,
  Cancelled
}
