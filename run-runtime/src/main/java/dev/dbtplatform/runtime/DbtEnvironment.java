package dev.dbtplatform.runtime;

import dev.dbtplatform.contract.RunConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** The environment of every dbt process. */
public final class DbtEnvironment {
  private DbtEnvironment() {}

  /** dbt copies DBT_ENV_CUSTOM_ENV_X into run_results.json metadata.env as X. */
  static final String CUSTOM_ENV_PREFIX = "DBT_ENV_CUSTOM_ENV_";

  /**
   * Inherited environment, then the run's env, then the platform's variables (which the run's env
   * cannot override), then the secrets of the profile.
   */
  static Map<String, String> build(Map<String, String> inherited, RunConfig config, Path profilesDir,
      String gitSha, String gitBranch, Map<String, String> secretEnv) {
    Map<String, String> env = base(inherited, config.env(), profilesDir);

    // The ids also go into run_results.json, so an artifact tells which run produced it.
    Map<String, String> ids = new LinkedHashMap<>();
    ids.put("DBT_CLOUD_RUN_ID", config.runId());
    ids.put("DBT_CLOUD_JOB_ID", config.jobId());
    ids.put("DBT_CLOUD_PROJECT_ID", config.projectId());
    ids.put("DBT_CLOUD_ENVIRONMENT_ID", config.environmentId());
    ids.put("DBT_CLOUD_ACCOUNT_ID", config.accountId());
    ids.forEach((name, value) -> {
      putIfNotNull(env, name, value);
      putIfNotNull(env, CUSTOM_ENV_PREFIX + name, value);
    });
    putIfNotNull(env, "DBT_CLOUD_GIT_SHA", gitSha);
    putIfNotNull(env, "DBT_CLOUD_GIT_BRANCH", gitBranch);
    putIfNotNull(env, "DBT_CLOUD_RUN_REASON", config.runReason());
    putIfNotNull(env, "DBT_CLOUD_RUN_REASON_CATEGORY", config.runReasonCategory());
    env.putAll(secretEnv);
    return env;
  }

  /**
   * What every dbt process of the platform gets, in a run or a develop session: the inherited
   * environment, then the configured env, then the defaults below (which the configured env may
   * change) and the profiles folder (which it may not).
   */
  public static Map<String, String> base(Map<String, String> inherited, Map<String, String> configured,
      Path profilesDir) {
    Map<String, String> env = new HashMap<>(inherited);
    env.putAll(configured);
    // Runs have no internet access and must not try to reach dbt Labs.
    env.putIfAbsent("DBT_SEND_ANONYMOUS_USAGE_STATS", "False");
    // Step logs are plain text files, read in a browser: no ANSI color codes.
    env.putIfAbsent("DBT_USE_COLORS", "False");
    // Output lines should arrive as they are written, not when a buffer fills.
    env.putIfAbsent("PYTHONUNBUFFERED", "1");
    env.put("DBT_PROFILES_DIR", profilesDir.toString());
    return env;
  }

  private static void putIfNotNull(Map<String, String> env, String name, String value) {
    if (value != null) {
      env.put(name, value);
    }
  }
}
