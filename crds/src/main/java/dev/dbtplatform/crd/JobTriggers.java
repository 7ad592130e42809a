package dev.dbtplatform.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** What starts runs of a job. Any number of them may be set. */
public class JobTriggers {
  @JsonPropertyDescription("Start runs on a cron schedule.")
  public JobSchedule schedule;

  @Default("true")
  @JsonPropertyDescription("Whether runs may be started through the API.")
  public Boolean api = true;

  @JsonPropertyDescription("Start a run when a run of another job ends in one of the given phases.")
  public JobCompletionTrigger onJobCompletion;
}
