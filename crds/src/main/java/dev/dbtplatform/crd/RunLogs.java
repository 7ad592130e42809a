package dev.dbtplatform.crd;

/** Where a run's logs and artifacts went, and how the flush is going. */
public class RunLogs {
  /** s3://bucket/prefix/ holding everything of the run, once flushed. */
  public String location;
  public String bucket;
  public String prefix;
  public Integer objects;
  public Long bytes;
  public String flushedAt;
  /** Flush Jobs created so far; a new one is created after a failed one, with backoff. */
  public Integer attempts;
  public String currentJob;
  /** When the next flush attempt may start after a failed one. */
  public String nextAttemptAt;
}
