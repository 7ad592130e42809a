package dev.dbtplatform.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.ArrayList;
import java.util.List;

public class DbtEnvironmentSpec {
  public enum Type { development, deployment }

  @Required
  @JsonPropertyDescription("The DbtProject whose code runs in this environment.")
  public ObjectRef projectRef;

  @Default("deployment")
  @JsonPropertyDescription("development environments back develop sessions; deployment environments back jobs and runs.")
  public Type type = Type.deployment;

  @Pattern("^[0-9]+\\.[0-9]+(\\.[0-9]+)?$")
  @JsonPropertyDescription("dbt version, for example 1.11; selects the runtime image unless image is set.")
  public String dbtVersion;

  @JsonPropertyDescription("Runtime image; overrides the one the operator picks for dbtVersion.")
  public String image;

  @Required
  @JsonPropertyDescription("The warehouse connection.")
  public WarehouseConnection warehouse;

  @Default("default")
  @Pattern("^[A-Za-z0-9_-]+$")
  @JsonPropertyDescription("dbt target name, visible to models as target.name.")
  public String targetName = "default";

  @Default("4")
  @Min(1)
  @Max(64)
  @JsonPropertyDescription("dbt threads.")
  public Integer threads = 4;

  @Size(max = 100)
  @JsonPropertyDescription("Environment variables for dbt in this environment.")
  public List<EnvVarSpec> env = new ArrayList<>();

  @JsonPropertyDescription("Branch to run instead of the project's default ref.")
  public String customBranch;

  @JsonPropertyDescription("CPU and memory of run pods.")
  public ResourceRequirements resources;
}
