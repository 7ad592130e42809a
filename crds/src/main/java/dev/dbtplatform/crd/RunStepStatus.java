package dev.dbtplatform.crd;

/** One step of a run as shown in its status. */
public class RunStepStatus {
  public Integer index;
  public String name;
  public String command;
  /** Pending, Running, Succeeded, Failed, Skipped, Cancelled or TimedOut. */
  public String status;
  public String startedAt;
  public String finishedAt;
  public Integer exitCode;
  /** s3://bucket/key of the step's log, once flushed. */
  public String logLocation;
  /** s3://bucket/prefix/ of the step's artifacts, once flushed. */
  public String artifactsLocation;
}
