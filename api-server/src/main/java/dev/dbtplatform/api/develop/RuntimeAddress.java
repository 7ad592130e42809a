package dev.dbtplatform.api.develop;

import dev.dbtplatform.contract.ObjectNames;
import dev.dbtplatform.contract.DevelopConfig;
import dev.dbtplatform.crd.DbtDevelopSession;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Where a session's develop runtime listens: its pod's IP and the container port named
 * {@code http}. The pod is asked for directly rather than through the session's Service, so that
 * the API server reaches the runtime the moment the pod is ready, wherever it runs, and one-machine
 * mode (no cluster networking, each pod a local process) works the same way.
 */
public record RuntimeAddress(String host, int port) {
  public static final String PORT_NAME = "http";

  /** The address of the session's pod, or empty while there is no pod with an IP (or it is not this session's). */
  public static Optional<RuntimeAddress> of(KubernetesClient cluster, DbtDevelopSession session) {
    String podName = session.getStatus() != null && session.getStatus().podName != null
        ? session.getStatus().podName : ObjectNames.developPod(session.getMetadata().getName());
    Pod pod = cluster.pods().inNamespace(session.getMetadata().getNamespace()).withName(podName).get();
    if (pod == null || pod.getStatus() == null || pod.getStatus().getPodIP() == null
        || pod.getStatus().getPodIP().isBlank() || !ownedBy(pod, session)) {
      return Optional.empty();
    }
    return Optional.of(new RuntimeAddress(pod.getStatus().getPodIP(), port(pod)));
  }

  /** The runtime's URI for a path from its root and a raw query string (null for none). */
  public URI uri(String path, String query) {
    String h = host.contains(":") ? "[" + host + "]" : host; // IPv6 pod IPs
    return URI.create("http://" + h + ":" + port + path + (query == null || query.isEmpty() ? "" : "?" + query));
  }

  private static int port(Pod pod) {
    if (pod.getSpec() != null && pod.getSpec().getContainers() != null) {
      for (Container c : pod.getSpec().getContainers()) {
        for (ContainerPort p : c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()) {
          if (PORT_NAME.equals(p.getName()) && p.getContainerPort() != null) {
            return p.getContainerPort();
          }
        }
      }
    }
    return DevelopConfig.DEFAULT_PORT;
  }

  /**
   * Only the pod the operator made for this very session gets the session's token: not one an
   * earlier session of the same name left behind, nor one someone else made under that name.
   */
  private static boolean ownedBy(Pod pod, DbtDevelopSession session) {
    List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
    return owners != null && owners.stream().anyMatch(o -> DbtDevelopSession.class.getSimpleName().equals(o.getKind())
        && session.getMetadata().getUid().equals(o.getUid()));
  }
}
