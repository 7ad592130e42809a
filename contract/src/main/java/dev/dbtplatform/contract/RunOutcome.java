package dev.dbtplatform.contract;

/** How a run ended, as the run runtime saw it. */
public enum RunOutcome {
  Succeeded,
  /** A step exited non-zero; {@link RunSummary#reason()} says which kind. */
  Failed,
  /** The runtime received SIGTERM (cancel, pod deleted) and stopped dbt. */
  Cancelled,
  /** The run's timeout expired and the runtime stopped dbt. */
  TimedOut
}
