package dev.dbtplatform.crd;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A reference to another object in the same namespace, by name. */
public class ObjectRef {
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription("Name of the object, in the same namespace.")
  public String name;

  public ObjectRef() {}

  public ObjectRef(String name) {
    this.name = name;
  }

  public static ObjectRef named(String name) {
    return new ObjectRef(name);
  }
}
