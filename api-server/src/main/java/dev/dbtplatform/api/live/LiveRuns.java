package dev.dbtplatform.api.live;

import dev.dbtplatform.api.runs.StoredRun;
import dev.dbtplatform.contract.CheckboxSteps;
import dev.dbtplatform.contract.RunPod;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs in progress as their pods' logs show them, read through the Kubernetes API: the DbtRun
 * (for its pod's name and its resolved steps), then its pod's log, split by step. Whatever cannot
 * be read (the run finished or is gone, no pod yet, the pod gone, no permission, the API down)
 * answers empty, and the caller shows the run as history has it.
 */
public final class LiveRuns {
  private static final Logger LOG = LoggerFactory.getLogger(LiveRuns.class);
  /** Longer lines are cut; dbt's are far shorter, a stack trace's or an SQL error's may not be. */
  static final int MAX_LINE_CHARS = 16 * 1024;

  private final KubernetesClient cluster;
  private final long maxLogChars;

  /**
   * @param cluster null for none (then no run is live)
   * @param maxLogChars the most step output one read keeps, in characters: the newest
   */
  public LiveRuns(KubernetesClient cluster, long maxLogChars) {
    this.cluster = cluster;
    this.maxLogChars = maxLogChars;
  }

  public Optional<LiveRun> read(StoredRun run) {
    if (cluster == null || run.status().isComplete()) {
      return Optional.empty();
    }
    DbtRun dbtRun;
    try {
      dbtRun = cluster.resources(DbtRun.class).inNamespace(run.namespace()).withName(run.name()).get();
    } catch (KubernetesClientException e) {
      LOG.debug("run {}/{}: cannot read the DbtRun: {}", run.namespace(), run.name(), e.getMessage());
      return Optional.empty();
    }
    if (dbtRun == null || (run.uid() != null && !run.uid().equals(dbtRun.getMetadata().getUid()))) {
      return Optional.empty(); // gone, or another run of the same name
    }
    DbtRunStatus status = dbtRun.getStatus();
    // A run the operator has just finished, before history has caught up, still has its pod and its
    // log: showing that keeps the steps from jumping back to Queued for a moment.
    if (status == null || status.podName == null || status.resolved == null) {
      return Optional.empty();
    }
    PodLogSplitter splitter = new PodLogSplitter(maxLogChars);
    try (InputStream log = cluster.pods().inNamespace(run.namespace()).withName(status.podName)
        .inContainer(RunPod.CONTAINER).getLogInputStream()) {
      LogLines.forEach(log, MAX_LINE_CHARS, splitter::accept);
    } catch (KubernetesClientException | IOException | UncheckedIOException e) {
      LOG.debug("run {}/{}: cannot read the log of pod {}: {}", run.namespace(), run.name(), status.podName,
          e.getMessage());
      return Optional.empty();
    }
    List<String> commands = CheckboxSteps.commands(status.resolved.steps,
        Boolean.TRUE.equals(status.resolved.runGenerateSources), Boolean.TRUE.equals(status.resolved.generateDocs));
    return Optional.of(LiveSteps.of(splitter.total(), splitter.steps(), commands, status.resolved.adapterType));
  }
}
