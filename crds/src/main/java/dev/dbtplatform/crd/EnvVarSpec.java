package dev.dbtplatform.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** An environment variable for dbt. Secrets belong in the warehouse Secret, not here. */
public class EnvVarSpec {
  @Required
  @Pattern("^[A-Za-z_][A-Za-z0-9_]*$")
  @JsonPropertyDescription("Variable name, for example DBT_MY_SETTING.")
  public String name;

  @JsonPropertyDescription("Value; not for secrets, which belong in the warehouse Secret.")
  public String value;

  public EnvVarSpec() {}

  public EnvVarSpec(String name, String value) {
    this.name = name;
    this.value = value;
  }
}
