package dev.dbtplatform.contract;

import java.nio.file.Path;

/**
 * Where things live on the run volume. The run runtime writes them; the log flush uploads them.
 */
public final class RunVolumeLayout {
  private RunVolumeLayout() {}

  /** The git checkout. */
  public static final String PROJECT_DIR = "project";
  /** One log file per step: logs/step-1.log, logs/step-2.log, ... */
  public static final String LOGS_DIR = "logs";
  /** One folder of target/*.json artifacts per dbt step: artifacts/step-4/run_results.json */
  public static final String ARTIFACTS_DIR = "artifacts";
  /** {@link RunSummary} as JSON. */
  public static final String SUMMARY_FILE = "run-summary.json";

  /**
   * The state a deferring run compares against: the deferred run's manifest.json, put there by
   * the run pod's init container before the runtime starts, and a line saying how that went.
   */
  public static final String DEFERRED_STATE_DIR = "deferred-state";

  public static Path deferredStateDir(Path workspace) {
    return workspace.resolve(DEFERRED_STATE_DIR);
  }

  public static Path deferredManifest(Path workspace) {
    return deferredStateDir(workspace).resolve("manifest.json");
  }

  /** One line from the init container: where the manifest came from, or why there is none. */
  public static Path deferredStateNote(Path workspace) {
    return deferredStateDir(workspace).resolve("fetch.txt");
  }

  public static Path stepLog(Path workspace, int stepIndex) {
    return workspace.resolve(LOGS_DIR).resolve("step-" + stepIndex + ".log");
  }

  public static Path stepArtifacts(Path workspace, int stepIndex) {
    return workspace.resolve(ARTIFACTS_DIR).resolve("step-" + stepIndex);
  }

  public static Path summary(Path workspace) {
    return workspace.resolve(SUMMARY_FILE);
  }
}
