package dev.dbtplatform.contract;

/** What of the run pod others address by name: the API reads the run container's log. */
public final class RunPod {
  private RunPod() {}

  /** The one container of a run pod; its log is the runtime's stdout, with {@link StepMarkers}. */
  public static final String CONTAINER = "dbt";
}
