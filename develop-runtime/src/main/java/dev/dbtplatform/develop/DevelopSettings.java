package dev.dbtplatform.develop;

import dev.dbtplatform.contract.DevelopConfig;
import dev.dbtplatform.contract.RuntimeEnv;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything the develop runtime takes from its environment. Tests build one directly.
 *
 * @param config the session, from {@link RuntimeEnv#DEVELOP_CONFIG}
 * @param workspace the user's long-lived volume; the checkout is its {@code project} folder
 * @param warehouseDir the user's development credentials, one file per key
 * @param gitCredentialsDir the project's git credentials Secret; may not exist
 * @param tokenDir the folder holding the file {@code token} every caller must present
 * @param dbtExecutable dbt to run
 * @param environment the environment git and dbt inherit
 * @param host the address to listen on ({@link RuntimeEnv#DEVELOP_BIND})
 * @param port the port to listen on, 0 for any free one (tests)
 */
public record DevelopSettings(
    DevelopConfig config,
    Path workspace,
    Path warehouseDir,
    Path gitCredentialsDir,
    Path tokenDir,
    String dbtExecutable,
    Map<String, String> environment,
    String host,
    int port) {

  /** All interfaces, when {@link RuntimeEnv#DEVELOP_BIND} does not name the pod's address. */
  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final String TOKEN_FILE = "token";

  public DevelopSettings {
    environment = Map.copyOf(environment);
  }

  /** @throws IllegalArgumentException when the session config is missing or incomplete */
  public static DevelopSettings fromEnvironment(Map<String, String> env) {
    DevelopConfig config = parseConfig(env.get(RuntimeEnv.DEVELOP_CONFIG));
    return new DevelopSettings(
        config,
        Path.of(nonBlank(env.get(RuntimeEnv.WORKSPACE), RuntimeEnv.DEFAULT_WORKSPACE)),
        Path.of(nonBlank(env.get(RuntimeEnv.WAREHOUSE_DIR), RuntimeEnv.DEFAULT_WAREHOUSE_DIR)),
        Path.of(nonBlank(env.get(RuntimeEnv.GIT_CREDENTIALS_DIR), RuntimeEnv.DEFAULT_GIT_CREDENTIALS_DIR)),
        Path.of(nonBlank(env.get(RuntimeEnv.DEVELOP_TOKEN_DIR), RuntimeEnv.DEFAULT_DEVELOP_TOKEN_DIR)),
        nonBlank(env.get(RuntimeEnv.DBT_EXECUTABLE), "dbt"),
        env,
        nonBlank(env.get(RuntimeEnv.DEVELOP_BIND), DEFAULT_HOST),
        config.port() > 0 ? config.port() : DevelopConfig.DEFAULT_PORT);
  }

  static DevelopConfig parseConfig(String json) {
    if (json == null || json.isBlank()) {
      throw new IllegalArgumentException(RuntimeEnv.DEVELOP_CONFIG + " is not set");
    }
    DevelopConfig config = DevelopConfig.fromJson(json);
    if (config == null) {
      throw new IllegalArgumentException(RuntimeEnv.DEVELOP_CONFIG + " is not a JSON object");
    }
    requireSet(config.gitUrl(), "gitUrl");
    requireSet(config.adapterType(), "adapterType");
    requireSet(config.user(), "user");
    if (config.threads() < 0) {
      throw new IllegalArgumentException("threads is negative");
    }
    return config;
  }

  public Path tokenFile() {
    return tokenDir.resolve(TOKEN_FILE);
  }

  private static void requireSet(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is missing from " + RuntimeEnv.DEVELOP_CONFIG);
    }
  }

  private static String nonBlank(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
