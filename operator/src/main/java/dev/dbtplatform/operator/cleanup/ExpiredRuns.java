package dev.dbtplatform.operator.cleanup;

import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.operator.resources.ResourceNames;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes DbtRuns that ended more than the TTL ago and whose logs are out of the cluster (see
 * {@link RunExpiry}). The API's history recorder sees the delete and keeps the run's row, so the
 * run stays in run history; its logs and artifacts stay in the object store.
 */
final class ExpiredRuns {
  private static final Logger log = LoggerFactory.getLogger(ExpiredRuns.class);
  static final String KIND = "DbtRun";

  private final KubernetesClient client;
  private final Duration ttl;
  private final CleanupMetrics metrics;

  ExpiredRuns(KubernetesClient client, Duration ttl, CleanupMetrics metrics) {
    this.client = client;
    this.ttl = ttl;
    this.metrics = metrics;
  }

  /**
   * @param runs the runs of the pass, listed after {@code volumes}
   * @param volumes the run volumes of the pass
   * @return false when a run could not be looked at or deleted (the next pass tries again)
   */
  boolean sweep(List<DbtRun> runs, List<PersistentVolumeClaim> volumes, Instant now) {
    if (ttl.isZero()) {
      return true; // runs are kept forever
    }
    boolean allDone = true;
    for (DbtRun listed : runs) {
      if (RunExpiry.deletable(listed, now, ttl, run -> anyVolumeOf(run, volumes)).isEmpty()) {
        continue;
      }
      try {
        deleteIfStillExpired(listed, volumes, now);
      } catch (KubernetesClientException e) {
        allDone = false; // one run the API refuses must not hold up the others
        log.warn("cannot delete expired DbtRun {}/{}: {}", listed.getMetadata().getNamespace(),
            listed.getMetadata().getName(), e.getMessage());
      }
    }
    return allDone;
  }

  /**
   * Decides again on the stored run, asking the API rather than the listing about its volume: the
   * listing is a moment old, and the run's name may now belong to a newer run.
   */
  private void deleteIfStillExpired(DbtRun listed, List<PersistentVolumeClaim> volumes, Instant now) {
    String namespace = listed.getMetadata().getNamespace();
    String name = listed.getMetadata().getName();
    DbtRun stored = client.resources(DbtRun.class).inNamespace(namespace).withName(name).get();
    if (stored == null || !Objects.equals(stored.getMetadata().getUid(), listed.getMetadata().getUid())) {
      return;
    }
    Optional<RunExpiry.Reason> reason = RunExpiry.deletable(stored, now, ttl,
        run -> anyVolumeOf(run, volumes) || liveVolumeExists(run));
    if (reason.isPresent() && UnchangedDeletion.delete(client, stored)) {
      metrics.deleted(KIND, reason.get().metricTag);
      log.info("deleted DbtRun {}/{}: finished at {}, more than {} ago ({})", namespace, name,
          stored.getStatus().finishedAt, ttl, reason.get().metricTag);
    }
  }

  private static boolean anyVolumeOf(DbtRun run, List<PersistentVolumeClaim> volumes) {
    return volumes.stream().anyMatch(volume -> RunVolumes.belongsTo(volume, run));
  }

  private boolean liveVolumeExists(DbtRun run) {
    return client.persistentVolumeClaims().inNamespace(run.getMetadata().getNamespace())
        .withName(ResourceNames.runVolume(run.getMetadata().getName())).get() != null;
  }
}
