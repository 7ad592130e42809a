package dev.dbtplatform.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/**
 * What every run of a job executes. Unlike a run's, a job's steps may change: each run takes a
 * snapshot of them when it starts.
 */
public class DbtJobSpec {
  @Required
  @JsonPropertyDescription("DbtEnvironment the job's runs execute in.")
  public ObjectRef environmentRef;

  @Required
  @Size(min = 1, max = 50)
  @JsonPropertyDescription("dbt commands run in order, each starting with 'dbt ', for example 'dbt build --select tag:nightly'.")
  @ValidationRule(value = "self.all(s, s.matches('^dbt\\\\s+[a-z]'))", message = "every step is a dbt command, like 'dbt build'")
  public List<String> steps = new ArrayList<>();

  @Min(1)
  @Max(64)
  @JsonPropertyDescription("dbt threads; overrides the environment's.")
  public Integer threads;

  @Pattern("^[A-Za-z0-9_-]+$")
  @JsonPropertyDescription("dbt target name; overrides the environment's.")
  public String targetName;

  @Min(0)
  @Max(172800)
  @JsonPropertyDescription("Seconds all steps of a run together may take; 0 or unset means no limit.")
  public Long timeoutSeconds;

  @Default("false")
  @JsonPropertyDescription("Whether runs end with dbt docs generate (dbt Cloud's 'generate docs on run'): it runs after"
      + " the steps when they all succeeded, and its failure does not fail the run.")
  public Boolean generateDocs = false;

  @Default("false")
  @JsonPropertyDescription("Whether runs start with dbt source freshness (dbt Cloud's 'run source freshness'): stale"
      + " sources do not stop the steps after it or fail the run.")
  public Boolean runGenerateSources = false;

  @Size(max = 100)
  @JsonPropertyDescription("Environment variables for dbt, added to (and overriding) the environment's.")
  public List<EnvVarSpec> env = new ArrayList<>();

  @JsonPropertyDescription("What starts runs of the job: a schedule, the API, the completion of another job.")
  public JobTriggers triggers;

  @JsonPropertyDescription("Where runs find the state to defer to (dbt --defer): the last run of a job, or an environment.")
  public JobDeferral deferral;

  @Default("false")
  @JsonPropertyDescription("Set to true to stop starting new runs from triggers; runs already started go on.")
  public Boolean suspend = false;
}
