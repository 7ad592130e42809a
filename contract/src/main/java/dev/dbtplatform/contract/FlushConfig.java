package dev.dbtplatform.contract;

/**
 * Where a log flush uploads a run volume. Credentials are not part of it: the flush pod gets
 * them as the standard AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables from a Secret.
 *
 * @param endpoint S3 endpoint URL, null for the AWS default of the region
 * @param region S3 region
 * @param bucket bucket to upload to
 * @param pathStyle path-style addressing (MinIO, s3proxy, Ceph)
 * @param runPrefix the run's key prefix, from {@link ObjectKeys#runPrefix}
 * @param retrySeconds how long to keep retrying an unreachable object store before giving up
 */
public record FlushConfig(
    String endpoint,
    String region,
    String bucket,
    boolean pathStyle,
    String runPrefix,
    long retrySeconds) {

  public String toJson() {
    return Json.write(this);
  }

  public static FlushConfig fromJson(String json) {
    return Json.read(json, FlushConfig.class);
  }
}
