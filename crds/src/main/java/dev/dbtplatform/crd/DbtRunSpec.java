package dev.dbtplatform.crd;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.ArrayList;
import java.util.List;

/**
 * What to run. Fields left out come from the job, then the environment (and its project); fields
 * set here override them, as the dbt Cloud trigger body's *_override fields do.
 */
@ValidationRule(value = "has(self.jobRef) || has(self.environmentRef) || has(self.warehouse)",
    message = "set jobRef or environmentRef, or warehouse for a run without an environment")
@ValidationRule(value = "has(self.jobRef) || has(self.environmentRef) || has(self.projectRef) || (has(self.git) && has(self.git.url))",
    message = "set jobRef, environmentRef, projectRef or git.url so the run knows which code to run")
// The minimum number of steps lives here, not on steps: a run of a job may leave them to the job.
@ValidationRule(value = "has(self.jobRef) || (has(self.steps) && size(self.steps) >= 1)",
    message = "list at least one dbt command in steps, or set jobRef to run a job's steps")
// A rule on jobRef itself only compares two values; this one also keeps it from being added or removed.
@ValidationRule(value = "has(self.jobRef) == has(oldSelf.jobRef)",
    message = "jobRef cannot be added or removed once the run exists; create a new run")
public class DbtRunSpec {
  public enum ReasonCategory { scheduled, api, retry, triggered, other }

  @JsonPropertyDescription("DbtJob this run executes; the job gives environment, steps, threads, target, timeout and env unless this spec overrides them.")
  @ValidationRule(value = "self == oldSelf", message = "jobRef cannot change once the run exists; create a new run")
  public ObjectRef jobRef;

  @JsonPropertyDescription("DbtEnvironment to run in; gives the project, warehouse, target, threads and env. A run of a job runs in the job's environment: leave this out then.")
  public ObjectRef environmentRef;

  @JsonPropertyDescription("DbtProject whose code to run, for a run without an environment.")
  public ObjectRef projectRef;

  @JsonPropertyDescription("Git source; fields set here override the project's (ref to run a branch, tag or commit).")
  public GitSource git;

  @Size(max = 50)
  @JsonPropertyDescription("dbt commands run in order, each starting with 'dbt ', for example 'dbt build --select tag:nightly'; may be left out when jobRef is set, to run the job's steps.")
  @ValidationRule(value = "self.all(s, s.matches('^dbt\\\\s+[a-z]'))", message = "every step is a dbt command, like 'dbt build'")
  @ValidationRule(value = "self == oldSelf", message = "steps cannot change once the run exists; create a new run")
  public List<String> steps = new ArrayList<>();

  @Pattern("^[A-Za-z0-9_-]+$")
  @JsonPropertyDescription("dbt target name; overrides the environment's.")
  public String target;

  @Pattern("^[A-Za-z_][A-Za-z0-9_$-]*$")
  @Size(max = 128)
  @JsonPropertyDescription("Schema to build into (dataset on BigQuery) instead of the warehouse connection's.")
  public String schema;

  @Min(1)
  @Max(64)
  @JsonPropertyDescription("dbt threads; overrides the environment's.")
  public Integer threads;

  @Min(0)
  @Max(172800)
  @JsonPropertyDescription("Seconds all steps together may take; 0 or unset means no limit.")
  public Long timeoutSeconds;

  @Size(max = 100)
  @JsonPropertyDescription("Environment variables for dbt, added to (and overriding) the environment's.")
  public List<EnvVarSpec> env = new ArrayList<>();

  @JsonPropertyDescription("Warehouse connection; overrides the environment's.")
  public WarehouseConnection warehouse;

  @JsonPropertyDescription("Runtime image; overrides the environment's.")
  public String image;

  @JsonPropertyDescription("CPU and memory of the run pod; overrides the environment's.")
  public ResourceRequirements resources;

  @JsonPropertyDescription("Overrides the job's generateDocs: end with dbt docs generate, whose failure does not fail"
      + " the run.")
  public Boolean generateDocs;

  @JsonPropertyDescription("Overrides the job's runGenerateSources: start with dbt source freshness, whose failure"
      + " does not fail the run.")
  public Boolean runGenerateSources;

  @JsonPropertyDescription("Set to true to cancel the run: its pod is stopped and the run ends as Cancelled.")
  @ValidationRule(value = "!oldSelf || self", message = "a cancelled run cannot be resumed")
  public Boolean cancel;

  @Size(max = 255)
  @JsonPropertyDescription("Why the run was started, exposed to dbt as DBT_CLOUD_RUN_REASON.")
  public String runReason;

  @JsonPropertyDescription("Kind of trigger, exposed to dbt as DBT_CLOUD_RUN_REASON_CATEGORY.")
  public ReasonCategory runReasonCategory;

  @JsonIgnore
  public boolean isCancelRequested() {
    return Boolean.TRUE.equals(cancel);
  }
}
