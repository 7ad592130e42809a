package dev.dbtplatform.api.http;

import dev.dbtplatform.api.db.Account;
import dev.dbtplatform.crd.DbtProject;
import dev.dbtplatform.crd.GitSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A DbtProject as dbt Cloud's v3 project object. dbt Cloud keeps the repository as an object of
 * its own; here it is the project's git source, shown as the nested {@code repository} and,
 * flat, as this platform's {@code git_url}, {@code git_ref} and {@code git_credentials_secret}.
 */
final class ProjectJson {
  private ProjectJson() {}

  static Map<String, Object> toJson(Account account, long id, DbtProject project) {
    GitSource git = project.getSpec() == null || project.getSpec().git == null ? new GitSource() : project.getSpec().git;
    String credentials = git.credentialsSecretRef == null ? null : git.credentialsSecretRef.name;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("account_id", account.id());
    m.put("name", ApiMetadata.displayName(project));
    m.put("description", ApiMetadata.description(project));
    m.put("dbt_project_subdirectory", git.subdirectory);
    m.put("connection_id", null);
    m.put("repository_id", null);
    m.put("repository", git.url == null ? null : repository(account, id, git, credentials, project));
    m.put("state", 1);
    m.put("created_at", AccountsApi.timestamp(ApiMetadata.created(project)));
    m.put("updated_at", AccountsApi.timestamp(ApiMetadata.updated(project)));
    m.put("git_url", git.url);
    m.put("git_ref", git.ref);
    m.put("git_credentials_secret", credentials);
    return m;
  }

  private static Map<String, Object> repository(Account account, long projectId, GitSource git, String credentials,
                                                DbtProject project) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", null);
    m.put("account_id", account.id());
    m.put("project_id", projectId);
    m.put("remote_url", git.url);
    m.put("remote_backend", "git");
    m.put("git_clone_strategy", cloneStrategy(git.url, credentials));
    m.put("branch", git.ref);
    m.put("state", 1);
    m.put("created_at", AccountsApi.timestamp(ApiMetadata.created(project)));
    m.put("updated_at", AccountsApi.timestamp(ApiMetadata.updated(project)));
    return m;
  }

  /** dbt Cloud's names for how a repository is cloned: with an SSH key, or with a token over HTTPS. */
  private static String cloneStrategy(String url, String credentials) {
    if (url.startsWith("ssh://") || url.startsWith("git@")) {
      return "deploy_key";
    }
    return credentials == null ? null : "git_token";
  }
}
