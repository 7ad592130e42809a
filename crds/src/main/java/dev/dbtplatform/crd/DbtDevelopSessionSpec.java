package dev.dbtplatform.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

public class DbtDevelopSessionSpec {
  /** One hour, as dbt Cloud's IDE. */
  public static final long DEFAULT_IDLE_TIMEOUT_SECONDS = 3600;

  @Required
  @Pattern("^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$")
  @ValidationRule(value = "self == oldSelf", message = "user cannot change: the workspace belongs to its user")
  @JsonPropertyDescription("Whose session it is: only this user's requests reach it, and commits carry this name.")
  public String user;

  @Pattern("^[^@\\s]+@[^@\\s]+$")
  @JsonPropertyDescription("The user's email, for the commits made in the session.")
  public String userEmail;

  @Required
  @ValidationRule(value = "self == oldSelf", message = "environmentRef cannot change: create another session")
  @JsonPropertyDescription("The development DbtEnvironment: its project's repository, dbt version, adapter, target and env.")
  public ObjectRef environmentRef;

  @Required
  @JsonPropertyDescription("Secret with the user's own development credentials (profile fields, with their own schema).")
  public ObjectRef credentialsSecretRef;

  @Default("3600")
  @Min(60)
  @Max(604800)
  @JsonPropertyDescription("Seconds without dbt commands or previews after which the pod stops; the workspace stays.")
  public Long idleTimeoutSeconds = DEFAULT_IDLE_TIMEOUT_SECONDS;

  @JsonPropertyDescription("Branch checked out when the workspace is first cloned; the environment's or project's otherwise.")
  public String gitBranch;

  @Default("false")
  @JsonPropertyDescription("Delete the user's workspace volume too when this session is deleted; it is kept otherwise.")
  public Boolean deleteWorkspaceOnDelete = false;

  @JsonPropertyDescription("CPU and memory of the develop pod.")
  public ResourceRequirements resources;

  public DbtDevelopSessionSpec() {}
}
