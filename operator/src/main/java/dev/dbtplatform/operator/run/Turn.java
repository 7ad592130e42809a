package dev.dbtplatform.operator.run;

/** What the queueing rules say a Queued run may do now. */
sealed interface Turn {
  /** Its turn has come: create the pod. */
  record Go() implements Turn {}

  /** Not yet; the reason is the Queued condition's, the message says what it waits for. */
  record Wait(String reason, String message) implements Turn {}

  /** A newer scheduled run of the same job replaces this one, which never started. */
  record Superseded(String newerRun, String jobName) implements Turn {}
}
