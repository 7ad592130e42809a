package dev.dbtplatform.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** Chains jobs: a run of this job starts when a run of the other one ends as one of the statuses. */
public class JobCompletionTrigger {
  @Required
  @JsonPropertyDescription("DbtJob whose runs, when they end, start a run of this job.")
  public ObjectRef jobRef;

  @Required
  @Size(min = 1)
  @JsonPropertyDescription("Final phases of the other job's run that start a run of this job.")
  public List<JobCompletionStatus> statuses = new ArrayList<>();
}
