package dev.dbtplatform.api.http;

import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.crd.DbtProject;
import dev.dbtplatform.crd.DbtProjectSpec;
import dev.dbtplatform.crd.GitSource;
import dev.dbtplatform.crd.ObjectRef;
import java.util.Optional;

/**
 * Applies a create or update body to a DbtProject. A field absent from the body leaves the
 * project as it is; a null or empty one clears it. Other spec fields, which the API does not
 * model, are left alone.
 */
final class ProjectRequest {
  private ProjectRequest() {}

  static void apply(JsonBody body, DbtProject project) {
    if (body.present("name")) {
      ApiMetadata.setAnnotation(project, ApiGroup.DISPLAY_NAME_ANNOTATION, SpecRules.displayName(body));
    }
    if (body.present("description")) {
      ApiMetadata.setAnnotation(project, ApiGroup.DESCRIPTION_ANNOTATION, body.string("description").orElse(null));
    }
    if (project.getSpec() == null) {
      project.setSpec(new DbtProjectSpec());
    }
    if (project.getSpec().git == null) {
      project.getSpec().git = new GitSource();
    }
    GitSource git = project.getSpec().git;
    if (body.present("dbt_project_subdirectory")) {
      git.subdirectory = subdirectory(body);
    }
    gitUrl(body).ifPresent(url -> git.url = url.isEmpty() ? null : url);
    if (body.present("git_ref")) {
      git.ref = SpecRules.gitRef(body, "git_ref");
    }
    if (body.present("git_credentials_secret")) {
      String secret = SpecRules.objectName(body, "git_credentials_secret");
      git.credentialsSecretRef = secret == null ? null : ObjectRef.named(secret);
    }
  }

  /**
   * The repository URL, from this platform's {@code git_url} or dbt Cloud's
   * {@code repository.remote_url}; empty to clear it, absent to leave it. A null
   * {@code repository} is what clients echo back for a project without one: it changes nothing.
   */
  private static Optional<String> gitUrl(JsonBody body) {
    Optional<String> flat = body.present("git_url")
        ? Optional.of(nullToEmpty(SpecRules.gitUrl(body, "git_url"))) : Optional.empty();
    Optional<JsonBody> repository = body.object("repository");
    Optional<String> nested = repository.filter(r -> r.present("remote_url"))
        .map(r -> nullToEmpty(SpecRules.gitUrl(r, "remote_url")));
    if (flat.isPresent() && nested.isPresent() && !flat.get().equals(nested.get())) {
      throw ApiException.badRequest("Fields 'git_url' and 'repository.remote_url' name different repositories; "
          + "send one of them.");
    }
    return flat.isPresent() ? flat : nested;
  }

  /** dbt Cloud clients send "" or "/" for the repository's root; the spec wants a relative path or nothing. */
  private static String subdirectory(JsonBody body) {
    String dir = SpecRules.optionalText(body, "dbt_project_subdirectory");
    if (dir == null) {
      return null;
    }
    dir = dir.replaceAll("^/+|/+$", "");
    if (dir.isEmpty()) {
      return null;
    }
    for (String part : dir.split("/")) {
      if (part.equals("..")) {
        throw body.invalid("dbt_project_subdirectory", "must be a folder inside the repository, without '..'.");
      }
    }
    return dir;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
