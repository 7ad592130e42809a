package dev.dbtplatform.operator.run;

import dev.dbtplatform.crd.DbtRun;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The writes a run makes to the cluster, each safe to repeat: creating what exists returns the
 * existing object, deleting what is gone is a no-op.
 */
final class RunCluster {
  /** The last volumes deleted, by uid; far more than can be waiting for their delete events at once. */
  private static final int DELETED_VOLUMES_KEPT = 4096;

  private final KubernetesClient client;
  private final Set<String> deletedVolumes = Collections.newSetFromMap(Collections.synchronizedMap(
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > DELETED_VOLUMES_KEPT;
        }
      }));

  RunCluster(KubernetesClient client) {
    this.client = client;
  }

  /** Creates the object, or returns the one that already has its name (which may not be ours). */
  <T extends HasMetadata> T createOrGet(T desired) {
    try {
      return client.resource(desired).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      T existing = client.resource(desired).get();
      if (existing == null) {
        throw e; // deleted in between: the next reconcile creates it again
      }
      return existing;
    }
  }

  /** The stored runs of one namespace. */
  List<DbtRun> liveRuns(String namespace) {
    return client.resources(DbtRun.class).inNamespace(namespace).list().getItems();
  }

  /** The stored runs of the given namespaces; every namespace when none is given. */
  List<DbtRun> liveRuns(Set<String> namespaces) {
    if (namespaces.isEmpty()) {
      return client.resources(DbtRun.class).inAnyNamespace().list().getItems();
    }
    List<DbtRun> runs = new ArrayList<>();
    namespaces.forEach(ns -> runs.addAll(liveRuns(ns)));
    return runs;
  }

  Optional<Pod> livePod(String namespace, String name) {
    return Optional.ofNullable(client.pods().inNamespace(namespace).withName(name).get());
  }

  Optional<Job> liveJob(String namespace, String name) {
    return Optional.ofNullable(client.batch().v1().jobs().inNamespace(namespace).withName(name).get());
  }

  Optional<PersistentVolumeClaim> liveVolume(String namespace, String name) {
    return Optional.ofNullable(client.persistentVolumeClaims().inNamespace(namespace).withName(name).get());
  }

  /** Stops a pod gracefully: the runtime gets SIGTERM and the pod's grace period to stop dbt. */
  void deletePod(Pod pod) {
    client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
  }

  void deleteVolume(PersistentVolumeClaim volume) {
    client.persistentVolumeClaims().inNamespace(volume.getMetadata().getNamespace())
        .withName(volume.getMetadata().getName()).delete();
    deletedVolumes.add(volume.getMetadata().getUid());
  }

  /** Whether this volume (this very object, by uid) was deleted by this operator recently. */
  boolean deletedBefore(PersistentVolumeClaim volume) {
    return deletedVolumes.contains(volume.getMetadata().getUid());
  }

  void deleteJob(String namespace, String name) {
    client.batch().v1().jobs().inNamespace(namespace).withName(name)
        .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
  }
}
