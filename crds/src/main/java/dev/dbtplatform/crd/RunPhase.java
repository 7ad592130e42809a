package dev.dbtplatform.crd;

/** Where a DbtRun is in its life. Succeeded, Failed and Cancelled are final. */
public enum RunPhase {
  Queued,
  Starting,
  Running,
  Succeeded,
  Failed,
  Cancelled;

  public boolean isTerminal() {
    return this == Succeeded || this == Failed || this == Cancelled;
  }
}
