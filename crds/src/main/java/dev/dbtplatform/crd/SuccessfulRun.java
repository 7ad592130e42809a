package dev.dbtplatform.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A run that succeeded and whose logs and artifacts are in object storage. */
public class SuccessfulRun {
  @JsonPropertyDescription("The DbtRun's name.")
  public String name;

  @JsonPropertyDescription("When it finished (RFC 3339).")
  public String finishedAt;

  @JsonPropertyDescription("The bucket holding its artifacts.")
  public String bucket;

  @JsonPropertyDescription("The key prefix of its logs and artifacts.")
  public String prefix;

  public SuccessfulRun() {}

  public SuccessfulRun(String name, String finishedAt, String bucket, String prefix) {
    this.name = name;
    this.finishedAt = finishedAt;
    this.bucket = bucket;
    this.prefix = prefix;
  }
}
