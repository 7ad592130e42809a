package dev.dbtplatform.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the scheduler knows about a job: when it ran, what runs now, how the last run ended. */
public class DbtJobStatus {
  @JsonPropertyDescription("When the schedule last started a run.")
  public String lastScheduleTime;

  @JsonPropertyDescription("When the schedule starts the next run.")
  public String nextRunTime;

  @JsonPropertyDescription("Names of the job's DbtRuns that have not ended yet.")
  public List<String> activeRuns = new ArrayList<>();

  @JsonPropertyDescription("Name of the job's DbtRun that ended last.")
  public String lastCompletedRun;

  @JsonPropertyDescription("Final phase of that run: Succeeded, Failed or Cancelled.")
  public String lastCompletedPhase;

  @JsonPropertyDescription("When that run ended.")
  public String lastCompletedTime;

  @JsonPropertyDescription("The job's latest successful run whose artifacts are saved: the state that jobs deferring"
      + " to this job (or to its environment) compare against. Kept after the run itself is cleaned up.")
  public SuccessfulRun lastSuccessfulRun;

  @JsonPropertyDescription("The generation of the spec this status describes.")
  public Long observedGeneration;

  @JsonPropertyDescription("The job's conditions.")
  public List<Condition> conditions = new ArrayList<>();
}
