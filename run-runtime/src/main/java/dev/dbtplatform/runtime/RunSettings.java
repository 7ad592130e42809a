package dev.dbtplatform.runtime;

import dev.dbtplatform.contract.RuntimeEnv;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything the runtime takes from its environment. Tests build one directly.
 *
 * @param runConfigJson the RunConfig JSON, null when the variable is missing
 * @param workspace the run volume
 * @param warehouseDir the warehouse Secret, one file per key
 * @param gitCredentialsDir the git credentials Secret; may not exist
 * @param terminationLog where the short summary goes for the operator
 * @param dbtExecutable dbt to run
 * @param environment the environment git and dbt inherit
 * @param out where all log lines go besides the step logs (stdout)
 */
public record RunSettings(
    String runConfigJson,
    Path workspace,
    Path warehouseDir,
    Path gitCredentialsDir,
    Path terminationLog,
    String dbtExecutable,
    Map<String, String> environment,
    PrintStream out) {

  public RunSettings {
    environment = Map.copyOf(environment);
  }

  public static RunSettings fromEnvironment(Map<String, String> env, PrintStream out) {
    return new RunSettings(
        env.get(RuntimeEnv.RUN_CONFIG),
        Path.of(nonBlank(env.get(RuntimeEnv.WORKSPACE), RuntimeEnv.DEFAULT_WORKSPACE)),
        Path.of(nonBlank(env.get(RuntimeEnv.WAREHOUSE_DIR), RuntimeEnv.DEFAULT_WAREHOUSE_DIR)),
        Path.of(nonBlank(env.get(RuntimeEnv.GIT_CREDENTIALS_DIR), RuntimeEnv.DEFAULT_GIT_CREDENTIALS_DIR)),
        Path.of(nonBlank(env.get(RuntimeEnv.TERMINATION_LOG), RuntimeEnv.DEFAULT_TERMINATION_LOG)),
        nonBlank(env.get(RuntimeEnv.DBT_EXECUTABLE), "dbt"),
        env,
        out);
  }

  private static String nonBlank(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
