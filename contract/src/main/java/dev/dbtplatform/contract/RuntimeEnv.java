package dev.dbtplatform.contract;

/**
 * Environment variables and paths through which the operator configures the programs it runs in
 * pods. Paths are absolute inside the pod; the one-machine node maps them to local folders.
 */
public final class RuntimeEnv {
  private RuntimeEnv() {}

  /** JSON of {@link RunConfig}: what to run. Holds no secret. */
  public static final String RUN_CONFIG = "DBT_PLATFORM_RUN_CONFIG";
  /** The run volume: checkout, step logs, artifacts and the run summary. */
  public static final String WORKSPACE = "DBT_PLATFORM_WORKSPACE";
  /** Folder with one file per key of the warehouse Secret. */
  public static final String WAREHOUSE_DIR = "DBT_PLATFORM_WAREHOUSE_DIR";
  /** Optional folder with the project's git credentials Secret (username, password or token). */
  public static final String GIT_CREDENTIALS_DIR = "DBT_PLATFORM_GIT_CREDENTIALS_DIR";
  /** Where the program writes its short result for the operator (the pod's terminationMessagePath). */
  public static final String TERMINATION_LOG = "DBT_PLATFORM_TERMINATION_LOG";
  /** Where to find the dbt executable; defaults to {@code dbt} on the PATH. */
  public static final String DBT_EXECUTABLE = "DBT_PLATFORM_DBT_EXECUTABLE";

  /** JSON of {@link FlushConfig}: where the log flush uploads to. */
  public static final String FLUSH_CONFIG = "DBT_PLATFORM_FLUSH_CONFIG";
  /**
   * The {@link FlushConfig} of a deferred run, read by the state fetch (the run pod's init
   * container): where that run's artifacts are, to fetch its manifest from.
   */
  public static final String STATE_FETCH_CONFIG = "DBT_PLATFORM_STATE_FETCH_CONFIG";

  /** JSON of {@link DevelopConfig}: the develop runtime's session. Holds no secret. */
  public static final String DEVELOP_CONFIG = "DBT_PLATFORM_DEVELOP_CONFIG";
  /**
   * Folder with the file {@code token}: the develop runtime answers only requests that carry it as
   * {@code Authorization: Bearer <token>} (the API server's proxy does), except its health check.
   */
  public static final String DEVELOP_TOKEN_DIR = "DBT_PLATFORM_DEVELOP_TOKEN_DIR";
  /**
   * The address the develop runtime listens on: the pod's IP (from the downward API), which in a
   * cluster is what 0.0.0.0 would give and on one machine keeps pods from sharing an address;
   * 0.0.0.0 when unset.
   */
  public static final String DEVELOP_BIND = "DBT_PLATFORM_DEVELOP_BIND";

  public static final String DEFAULT_WORKSPACE = "/workspace";
  public static final String DEFAULT_DEVELOP_TOKEN_DIR = "/etc/dbt-platform/develop-token";
  public static final String DEFAULT_WAREHOUSE_DIR = "/etc/dbt-platform/warehouse";
  public static final String DEFAULT_GIT_CREDENTIALS_DIR = "/etc/dbt-platform/git";
  public static final String DEFAULT_TERMINATION_LOG = "/dev/termination-log";

  /** Kubernetes keeps at most this many bytes of a termination message. */
  public static final int TERMINATION_MESSAGE_LIMIT = 4096;

  /** Exit codes of the run runtime. */
  public static final int EXIT_SUCCEEDED = 0;
  public static final int EXIT_STEP_FAILED = 1;
  public static final int EXIT_INVALID_CONFIG = 2;
  public static final int EXIT_TIMED_OUT = 124;
  public static final int EXIT_TERMINATED = 143;
}
