package dev.dbtplatform.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the operator knows of a develop session. */
public class DbtDevelopSessionStatus {
  @JsonPropertyDescription("Pending, Starting, Ready, Stopped or Failed.")
  public DevelopPhase phase;

  @JsonPropertyDescription("Why the session is in its phase, for example IdleTimeout, StopRequested, InvalidSpec.")
  public String reason;

  @JsonPropertyDescription("A sentence for people.")
  public String message;

  @JsonPropertyDescription("The develop runtime's address inside the cluster, while the session runs.")
  public String endpoint;

  @JsonPropertyDescription("The last dbt command or preview (RFC 3339), as the API server reported it.")
  public String lastActivity;

  @JsonPropertyDescription("The develop pod, while there is one.")
  public String podName;

  @JsonPropertyDescription("The user's workspace volume, kept when the session stops.")
  public String workspaceVolume;

  @JsonPropertyDescription("The Secret holding the token the develop runtime requires of callers.")
  public String tokenSecret;

  @JsonPropertyDescription("When the current pod was asked for (start or resume).")
  public String startRequestedAt;

  @JsonPropertyDescription("When the session last became Ready.")
  public String readyAt;

  @JsonPropertyDescription("When the session last stopped.")
  public String stoppedAt;

  @JsonPropertyDescription("How many times the session was resumed after a stop.")
  public Integer resumes;

  @JsonPropertyDescription("The generation of the spec this status describes.")
  public Long observedGeneration;

  @JsonPropertyDescription("The session's conditions.")
  public List<Condition> conditions = new ArrayList<>();
}
