package dev.dbtplatform.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

public class DbtProjectSpec {
  @Required
  @JsonPropertyDescription("The repository, default ref, project folder and credentials.")
  public GitSource git;
}
