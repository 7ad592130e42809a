package dev.dbtplatform.local.node;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the volume provisioner for PersistentVolumeClaims: a new claim gets its folder
 * {@code <root>/volumes/<namespace>/<claim>} and status Bound (capacity = requested storage); a
 * deleted claim's folder is deleted, which is how one-machine mode shows that a run's volume was
 * released. A folder still used by a pod of this node is deleted once that pod has stopped.
 * Events are handled one at a time, in order.
 */
final class ClaimProvisioner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClaimProvisioner.class);

  private final KubernetesClient client;
  private final LocalNodeConfig config;
  private final BiPredicate<String, String> inUse;
  private final java.util.function.BiConsumer<String, String> onAvailable;
  private final ExecutorService executor = Executors.newSingleThreadExecutor(Informers.daemonThreads("local-node-claims"));
  private final Set<String> pendingDeletion = new HashSet<>();
  private List<SharedIndexInformer<PersistentVolumeClaim>> informers = List.of();
  private volatile boolean closed;

  ClaimProvisioner(KubernetesClient client, LocalNodeConfig config, BiPredicate<String, String> inUse,
      java.util.function.BiConsumer<String, String> onAvailable) {
    this.client = client;
    this.config = config;
    this.inUse = inUse;
    this.onAvailable = onAvailable;
  }

  void start() {
    informers = Informers.start(client.persistentVolumeClaims(), config, true,
        Informers.handler(c -> submit(() -> claimSeen(c)), c -> submit(() -> claimDeleted(c))));
  }

  private void submit(Runnable task) {
    if (!closed) {
      executor.execute(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          LOG.warn("claim handling failed", e);
        }
      });
    }
  }

  private void claimSeen(PersistentVolumeClaim claim) {
    if (closed || claim.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    String ns = claim.getMetadata().getNamespace();
    String name = claim.getMetadata().getName();
    pendingDeletion.remove(key(ns, name));
    Path dir = config.claimDir(ns, name);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      LOG.warn("cannot create the folder of claim {}/{}: {}", ns, name, e.toString());
      return;
    }
    if (claim.getStatus() == null || !"Bound".equals(claim.getStatus().getPhase())) {
      PersistentVolumeClaimStatusBuilder status = new PersistentVolumeClaimStatusBuilder(
          claim.getStatus() == null ? new PersistentVolumeClaimStatus() : claim.getStatus())
          .withPhase("Bound");
      if (claim.getSpec() != null) {
        status.withAccessModes(claim.getSpec().getAccessModes());
        if (claim.getSpec().getResources() != null && claim.getSpec().getResources().getRequests() != null) {
          Quantity storage = claim.getSpec().getResources().getRequests().get("storage");
          if (storage != null) {
            status.withCapacity(Map.of("storage", storage));
          }
        }
      }
      try {
        PersistentVolumeClaim current = client.persistentVolumeClaims().inNamespace(ns).withName(name).get();
        if (current != null && current.getMetadata().getUid().equals(claim.getMetadata().getUid())) {
          current.setStatus(status.build());
          client.persistentVolumeClaims().resource(current).updateStatus();
          LOG.info("claim {}/{} bound to {}", ns, name, dir);
        }
      } catch (KubernetesClientException e) {
        LOG.warn("cannot mark claim {}/{} Bound: {}", ns, name, e.getMessage());
      }
    }
    onAvailable.accept(ns, name);
  }

  private void claimDeleted(PersistentVolumeClaim claim) {
    String ns = claim.getMetadata().getNamespace();
    String name = claim.getMetadata().getName();
    if (inUse.test(ns, name)) {
      LOG.info("claim {}/{} deleted; its folder goes when the pods using it stop", ns, name);
      pendingDeletion.add(key(ns, name));
      return;
    }
    deleteFolder(ns, name);
  }

  /** A pod stopped: delete the folders of deleted claims it was the last user of. */
  void podStopped(String ns, List<String> claims) {
    submit(() -> {
      for (String claim : claims) {
        if (pendingDeletion.contains(key(ns, claim)) && !inUse.test(ns, claim)) {
          pendingDeletion.remove(key(ns, claim));
          deleteFolder(ns, claim);
        }
      }
    });
  }

  private void deleteFolder(String ns, String name) {
    if (closed) {
      return;
    }
    Path dir = config.claimDir(ns, name);
    try {
      FileTrees.deleteRecursively(dir);
      LOG.info("claim {}/{} deleted; removed {}", ns, name, dir);
    } catch (IOException e) {
      LOG.warn("cannot delete the folder of claim {}/{}: {}", ns, name, e.toString());
    }
  }

  private static String key(String ns, String name) {
    return ns + "/" + name;
  }

  @Override
  public void close() {
    closed = true;
    Informers.stop(informers);
    executor.shutdownNow();
  }
}
