package dev.dbtplatform.contract;

import java.util.Map;

/**
 * Everything the develop runtime (the per-user dbt workspace server in a develop pod) needs to
 * know, resolved by the operator from the DbtDevelopSession and its project and environment. It
 * never holds a secret: the user's warehouse credentials, the project's git credentials and the
 * token callers must present arrive as mounted files.
 *
 * @param accountId dbt Cloud style account id, "0" when the session is not tied to an account
 * @param namespace the session's namespace
 * @param sessionName the DbtDevelopSession's name
 * @param user who the workspace belongs to: commits are authored by this name
 * @param userEmail the commit author's email, may be null
 * @param gitUrl repository to clone into the workspace on first start
 * @param gitRef branch to check out on first start; null for the repository's default branch
 * @param subdirectory the dbt project's folder inside the repository, null for the root
 * @param target dbt target name
 * @param threads dbt threads
 * @param adapterType dbt adapter of the warehouse connection (postgres, duckdb, ...)
 * @param env extra environment variables for dbt (not secrets)
 * @param port the port the server listens on
 */
public record DevelopConfig(
    String accountId,
    String namespace,
    String sessionName,
    String user,
    String userEmail,
    String gitUrl,
    String gitRef,
    String subdirectory,
    String target,
    int threads,
    String adapterType,
    Map<String, String> env,
    int port) {

  public static final int DEFAULT_PORT = 8080;

  public DevelopConfig {
    env = env == null ? Map.of() : Map.copyOf(env);
  }

  public String toJson() {
    return Json.write(this);
  }

  public static DevelopConfig fromJson(String json) {
    return Json.read(json, DevelopConfig.class);
  }
}
