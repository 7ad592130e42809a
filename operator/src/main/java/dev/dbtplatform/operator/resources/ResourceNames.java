package dev.dbtplatform.operator.resources;

import dev.dbtplatform.contract.ObjectNames;

/**
 * Deterministic names of what a run owns. Determinism is what keeps "one pod per run" true
 * across duplicate events and operator restarts: a second create answers AlreadyExists.
 */
public final class ResourceNames {
  private ResourceNames() {}

  /** Kubernetes label values and Job names (which become label values) are at most 63 characters. */
  public static final int LABEL_LIMIT = ObjectNames.LABEL_LIMIT;

  /** The run pod has the run's name: `kubectl get pod NAME` finds it. */
  public static String runPod(String runName) {
    return runName;
  }

  public static String runVolume(String runName) {
    return fit(runName + "-workspace", 253);
  }

  public static String flushJob(String runName, int attempt) {
    return fit(runName + "-flush-" + attempt, LABEL_LIMIT);
  }

  /** A label value naming the run: the name itself when it fits. */
  public static String runLabelValue(String runName) {
    return fit(runName, LABEL_LIMIT);
  }

  /** Shortens to the limit keeping a prefix and a hash of the whole, so distinct names stay distinct. */
  public static String fit(String name, int limit) {
    return ObjectNames.fit(name, limit);
  }
}
