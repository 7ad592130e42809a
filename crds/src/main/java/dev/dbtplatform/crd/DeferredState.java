package dev.dbtplatform.crd;

/** The run whose manifest a deferring run compares against, as resolved when the run was first seen. */
public class DeferredState {
  /** For people and logs, for example "the last successful run x of DbtJob nightly". */
  public String description;
  /** The run deferred to; null when there is none yet and the run goes without deferral. */
  public SuccessfulRun run;

  public DeferredState() {}

  public DeferredState(String description, SuccessfulRun run) {
    this.description = description;
    this.run = run;
  }
}
