package dev.dbtplatform.operator.cleanup;

import dev.dbtplatform.crd.DbtRun;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes run volumes whose DbtRun is gone and that no pod uses. Kubernetes' garbage collector
 * normally removes a run's volume with the run; this catches what it did not (a run deleted with
 * {@code --cascade=orphan}, a cluster without a collector). A volume whose run exists is never
 * touched here: the run's reconciler deletes it after the flush.
 */
final class OrphanedVolumes {
  private static final Logger log = LoggerFactory.getLogger(OrphanedVolumes.class);
  static final String KIND = "PersistentVolumeClaim";
  static final String REASON = "orphaned";

  private final KubernetesClient client;
  private final CleanupMetrics metrics;

  OrphanedVolumes(KubernetesClient client, CleanupMetrics metrics) {
    this.client = client;
    this.metrics = metrics;
  }

  /**
   * @param volumes the run volumes of the pass
   * @param runs the runs of the pass, listed after {@code volumes}: a run created in between is in
   *     it, so its new volume never looks orphaned
   * @return false when a volume could not be looked at or deleted (the next pass tries again)
   */
  boolean sweep(List<PersistentVolumeClaim> volumes, List<DbtRun> runs) {
    Set<String> runUids = runs.stream().map(r -> r.getMetadata().getUid()).collect(Collectors.toSet());
    // Pods are listed only for namespaces with a candidate, which is rare: a pass stays cheap.
    Map<String, List<Pod>> podsByNamespace = new HashMap<>();
    boolean allDone = true;
    for (PersistentVolumeClaim volume : volumes) {
      Optional<OwnerReference> owner = RunVolumes.owner(volume);
      // Without an owner reference nobody can say whose volume it is: left alone.
      if (owner.isEmpty() || runUids.contains(owner.get().getUid()) || volume.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      try {
        deleteIfOrphaned(volume, owner.get(), podsByNamespace);
      } catch (KubernetesClientException e) {
        allDone = false; // one volume the API refuses must not hold up the others
        log.warn("cannot delete orphaned run volume {}/{}: {}", volume.getMetadata().getNamespace(),
            volume.getMetadata().getName(), e.getMessage());
      }
    }
    return allDone;
  }

  private void deleteIfOrphaned(PersistentVolumeClaim volume, OwnerReference owner, Map<String, List<Pod>> podsByNamespace) {
    String namespace = volume.getMetadata().getNamespace();
    if (runExists(namespace, owner)) {
      return;
    }
    List<Pod> pods = podsByNamespace.computeIfAbsent(namespace, ns -> client.pods().inNamespace(ns).list().getItems());
    if (pods.stream().anyMatch(pod -> mounts(pod, volume))) {
      return;
    }
    if (UnchangedDeletion.delete(client, volume)) {
      metrics.deleted(KIND, REASON);
      log.info("deleted run volume {}/{}: its DbtRun {} (uid {}) no longer exists and no pod uses it", namespace,
          volume.getMetadata().getName(), owner.getName(), owner.getUid());
    }
  }

  /** Asks the API, not the listing, before deleting anything. */
  private boolean runExists(String namespace, OwnerReference owner) {
    DbtRun run = client.resources(DbtRun.class).inNamespace(namespace).withName(owner.getName()).get();
    return run != null && owner.getUid().equals(run.getMetadata().getUid());
  }

  /**
   * Whether a pod that has not ended mounts the volume. An ended pod holds nothing open, which is
   * also how Kubernetes' own PVC protection counts them.
   */
  private static boolean mounts(Pod pod, PersistentVolumeClaim volume) {
    if (!pod.getMetadata().getNamespace().equals(volume.getMetadata().getNamespace())) {
      return false;
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      return false;
    }
    List<Volume> podVolumes = pod.getSpec() == null ? null : pod.getSpec().getVolumes();
    return podVolumes != null && podVolumes.stream().anyMatch(v -> v.getPersistentVolumeClaim() != null
        && volume.getMetadata().getName().equals(v.getPersistentVolumeClaim().getClaimName()));
  }
}
