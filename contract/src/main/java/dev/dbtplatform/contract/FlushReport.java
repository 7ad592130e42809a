package dev.dbtplatform.contract;

import java.time.Instant;

/**
 * What a log flush uploaded, written as the flush pod's termination message. It carries the run
 * summary too, so the operator learns the step results even when the run pod was deleted before
 * it could read them.
 *
 * @param bucket the bucket
 * @param runPrefix the key prefix under which everything of the run was uploaded
 * @param objects number of objects uploaded (or found already uploaded)
 * @param bytes total size
 * @param flushedAt when the upload was confirmed
 * @param summary the run summary found on the volume, null when the runtime never wrote one
 */
public record FlushReport(
    String bucket,
    String runPrefix,
    int objects,
    long bytes,
    Instant flushedAt,
    RunSummary summary) {

  public String toJson() {
    return Json.write(this);
  }

  public static FlushReport fromJson(String json) {
    return Json.read(json, FlushReport.class);
  }

  /** Fits Kubernetes' 4 KiB: shortens the summary, and drops it if even that is too long. */
  public String toTerminationMessage() {
    String full = toJson();
    if (Json.utf8Length(full) <= RuntimeEnv.TERMINATION_MESSAGE_LIMIT || summary == null) {
      return full;
    }
    RunSummary shortSummary = RunSummary.fromJson(summary.toTerminationMessage());
    String shorter = new FlushReport(bucket, runPrefix, objects, bytes, flushedAt, shortSummary).toJson();
    if (Json.utf8Length(shorter) <= RuntimeEnv.TERMINATION_MESSAGE_LIMIT) {
      return shorter;
    }
    return new FlushReport(bucket, runPrefix, objects, bytes, flushedAt, null).toJson();
  }
}
