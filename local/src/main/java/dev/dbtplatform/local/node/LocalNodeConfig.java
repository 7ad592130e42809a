package dev.dbtplatform.local.node;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How the local node runs pods.
 *
 * <p>Folder layout under {@link #root()}:
 * <ul>
 *   <li>{@code volumes/<namespace>/<claim>}: the folder of a PersistentVolumeClaim, shared by every pod
 *       that mounts the claim, deleted when the claim is deleted;</li>
 *   <li>{@code pods/<namespace>/<pod>/<container>.log}: stdout and stderr of a container (appended, kept
 *       after the pod is deleted);</li>
 *   <li>{@code pods/<namespace>/<pod>/run-<uid>/}: the per-pod folders of one pod incarnation (secret,
 *       configMap, emptyDir volumes, termination message files, the default working folder), deleted
 *       when the pod is deleted.</li>
 * </ul>
 *
 * @param root folder everything lives in
 * @param binDir prepended to PATH of every container; holds launcher scripts such as {@code dbt-platform-run}
 * @param extraPath PATH entries after {@code binDir} and before the JVM's PATH
 * @param extraEnv environment of every container, on top of the JVM's own and under the pod's env
 * @param jobBackoffBase delay before the first Job pod retry; doubles per failure (Kubernetes: 10 s)
 * @param namespaces namespaces whose pods, claims and Jobs are handled; empty for all namespaces
 * @param labelSelector labels a pod, claim or Job must carry (equality); empty for all
 * @param maxTerminationGrace cap on terminationGracePeriodSeconds (null for none), for tests and quick shutdowns
 * @param echoLogs whether container output is also written to this JVM's log, prefixed with namespace/pod/container
 * @param nodeName the node name pods are bound to
 * @param resyncPeriod informer resync period (zero for none; fabric8 raises anything below 1 s to 1 s)
 * @param retryInterval how often a pod waiting for a missing Secret, ConfigMap or claim is retried (default 2 s;
 *     a claim appearing retries at once)
 * @param runJobController whether {@link LocalNode} also starts a {@link LocalJobController}
 */
public record LocalNodeConfig(
    Path root,
    Path binDir,
    List<Path> extraPath,
    Map<String, String> extraEnv,
    Duration jobBackoffBase,
    Set<String> namespaces,
    Map<String, String> labelSelector,
    Duration maxTerminationGrace,
    boolean echoLogs,
    String nodeName,
    Duration resyncPeriod,
    Duration retryInterval,
    boolean runJobController) {

  public static final String DEFAULT_NODE_NAME = "local-node";
  public static final Duration DEFAULT_JOB_BACKOFF = Duration.ofSeconds(10);

  public LocalNodeConfig {
    Objects.requireNonNull(root, "root");
    root = root.toAbsolutePath().normalize();
    binDir = binDir == null ? root.resolve("bin") : binDir.toAbsolutePath().normalize();
    extraPath = extraPath == null ? List.of() : List.copyOf(extraPath);
    extraEnv = extraEnv == null ? Map.of() : Map.copyOf(extraEnv);
    jobBackoffBase = jobBackoffBase == null ? DEFAULT_JOB_BACKOFF : jobBackoffBase;
    namespaces = namespaces == null ? Set.of() : Set.copyOf(namespaces);
    labelSelector = labelSelector == null ? Map.of() : Map.copyOf(labelSelector);
    nodeName = nodeName == null || nodeName.isBlank() ? DEFAULT_NODE_NAME : nodeName;
    resyncPeriod = resyncPeriod == null ? Duration.ofSeconds(30) : resyncPeriod;
    retryInterval = retryInterval == null ? Duration.ofSeconds(2) : retryInterval;
    if (jobBackoffBase.isNegative() || resyncPeriod.isNegative() || retryInterval.isNegative() || retryInterval.isZero()) {
      throw new IllegalArgumentException("durations must be positive");
    }
  }

  /**
   * All namespaces, all pods, bin folder {@code <root>/bin}, Kubernetes' default Job backoff (10 s), no
   * grace cap, a 30 s resync, a 2 s retry, logs not echoed, the Job controller on.
   */
  public static LocalNodeConfig defaults(Path root) {
    return new LocalNodeConfig(root, null, null, null, null, null, null, null, false, null, null, null, true);
  }

  public LocalNodeConfig withBinDir(Path value) {
    return new LocalNodeConfig(root, value, extraPath, extraEnv, jobBackoffBase, namespaces, labelSelector,
        maxTerminationGrace, echoLogs, nodeName, resyncPeriod, retryInterval, runJobController);
  }

  public LocalNodeConfig withExtraPath(List<Path> value) {
    return new LocalNodeConfig(root, binDir, value, extraEnv, jobBackoffBase, namespaces, labelSelector,
        maxTerminationGrace, echoLogs, nodeName, resyncPeriod, retryInterval, runJobController);
  }

  public LocalNodeConfig withExtraEnv(Map<String, String> value) {
    return new LocalNodeConfig(root, binDir, extraPath, value, jobBackoffBase, namespaces, labelSelector,
        maxTerminationGrace, echoLogs, nodeName, resyncPeriod, retryInterval, runJobController);
  }

  public LocalNodeConfig withJobBackoffBase(Duration value) {
    return new LocalNodeConfig(root, binDir, extraPath, extraEnv, value, namespaces, labelSelector,
        maxTerminationGrace, echoLogs, nodeName, resyncPeriod, retryInterval, runJobController);
  }

  public LocalNodeConfig withNamespaces(Set<String> value) {
    return new LocalNodeConfig(root, binDir, extraPath, extraEnv, jobBackoffBase, value, labelSelector,
        maxTerminationGrace, echoLogs, nodeName, resyncPeriod, retryInterval, runJobController);
  }

  public LocalNodeConfig withLabelSelector(Map<String, String> value) {
    return new LocalNodeConfig(root, binDir, extraPath, extraEnv, jobBackoffBase, namespaces, value,
        maxTerminationGrace, echoLogs, nodeName, resyncPeriod, retryInterval, runJobController);
  }

  public LocalNodeConfig withMaxTerminationGrace(Duration value) {
    return new LocalNodeConfig(root, binDir, extraPath, extraEnv, jobBackoffBase, namespaces, labelSelector,
        value, echoLogs, nodeName, resyncPeriod, retryInterval, runJobController);
  }

  public LocalNodeConfig withEchoLogs(boolean value) {
    return new LocalNodeConfig(root, binDir, extraPath, extraEnv, jobBackoffBase, namespaces, labelSelector,
        maxTerminationGrace, value, nodeName, resyncPeriod, retryInterval, runJobController);
  }

  public LocalNodeConfig withNodeName(String value) {
    return new LocalNodeConfig(root, binDir, extraPath, extraEnv, jobBackoffBase, namespaces, labelSelector,
        maxTerminationGrace, echoLogs, value, resyncPeriod, retryInterval, runJobController);
  }

  public LocalNodeConfig withResyncPeriod(Duration value) {
    return new LocalNodeConfig(root, binDir, extraPath, extraEnv, jobBackoffBase, namespaces, labelSelector,
        maxTerminationGrace, echoLogs, nodeName, value, retryInterval, runJobController);
  }

  public LocalNodeConfig withRetryInterval(Duration value) {
    return new LocalNodeConfig(root, binDir, extraPath, extraEnv, jobBackoffBase, namespaces, labelSelector,
        maxTerminationGrace, echoLogs, nodeName, resyncPeriod, value, runJobController);
  }

  public LocalNodeConfig withRunJobController(boolean value) {
    return new LocalNodeConfig(root, binDir, extraPath, extraEnv, jobBackoffBase, namespaces, labelSelector,
        maxTerminationGrace, echoLogs, nodeName, resyncPeriod, retryInterval, value);
  }

  /** The local folder of a PersistentVolumeClaim. */
  public Path claimDir(String namespace, String claimName) {
    return root.resolve("volumes").resolve(safeSegment(namespace)).resolve(safeSegment(claimName));
  }

  /** The folder of a pod's logs (and of its per-incarnation folders). */
  public Path podDir(String namespace, String podName) {
    return root.resolve("pods").resolve(safeSegment(namespace)).resolve(safeSegment(podName));
  }

  /** The log file of one container of a pod. */
  public Path logFile(String namespace, String podName, String container) {
    return podDir(namespace, podName).resolve(safeSegment(container) + ".log");
  }

  /** Whether an object is in a handled namespace and carries the selected labels. */
  public boolean selects(HasMetadata object) {
    if (!namespaces.isEmpty() && !namespaces.contains(object.getMetadata().getNamespace())) {
      return false;
    }
    if (labelSelector.isEmpty()) {
      return true;
    }
    Map<String, String> labels = object.getMetadata().getLabels();
    if (labels == null) {
      return false;
    }
    return labelSelector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  /** The grace period a pod is given after SIGTERM, capped by {@link #maxTerminationGrace()}. */
  Duration grace(Long podSeconds) {
    Duration grace = Duration.ofSeconds(podSeconds == null || podSeconds < 0 ? 30 : podSeconds);
    if (maxTerminationGrace != null && grace.compareTo(maxTerminationGrace) > 0) {
      return maxTerminationGrace;
    }
    return grace;
  }

  /** Kubernetes names cannot contain a slash or be "..", but the mock does not validate: refuse them. */
  static String safeSegment(String name) {
    if (name == null || name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/")
        || name.contains("\0")) {
      throw new IllegalArgumentException("not a valid Kubernetes name: " + name);
    }
    return name;
  }
}
