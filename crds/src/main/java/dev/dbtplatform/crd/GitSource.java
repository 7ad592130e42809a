package dev.dbtplatform.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/** Where a dbt project's code lives. */
public class GitSource {
  @JsonPropertyDescription("Repository URL: https://, ssh://, git@host:path or file://.")
  @Pattern("^(https?://|ssh://|git@|file://|/).+")
  public String url;

  @JsonPropertyDescription("Branch, tag or full commit sha. Empty means the repository's default branch.")
  public String ref;

  @JsonPropertyDescription("Folder of the dbt project inside the repository, when it is not the root.")
  @Pattern("^[^/].*$")
  public String subdirectory;

  @JsonPropertyDescription("Secret with the keys username and password, or token, for private repositories.")
  public ObjectRef credentialsSecretRef;
}
