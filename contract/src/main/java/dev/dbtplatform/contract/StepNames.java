package dev.dbtplatform.contract;

/**
 * The names the run runtime gives its steps. The API uses them too, for steps a running run has
 * not reached yet, so that a step keeps its name from queued to finished.
 */
public final class StepNames {
  private StepNames() {}

  /** The step the runtime adds as step 3 when the project has packages. */
  public static final String DEPS_COMMAND = "dbt deps";

  public static String gitClone() {
    return "Clone git repository";
  }

  public static String profile(String adapterType) {
    return "Create profile from connection " + adapterType;
  }

  /** @param command the dbt command as the run lists it, for example {@code dbt build --select x} */
  public static String dbt(String command) {
    return "Invoke dbt with `" + command + "`";
  }
}
