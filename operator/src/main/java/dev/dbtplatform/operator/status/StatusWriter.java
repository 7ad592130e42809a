package dev.dbtplatform.operator.status;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.Objects;

/**
 * Writes a resource's status with optimistic locking. A reconcile may start from a cached
 * resource older than the operator's own last write; what it concludes from that (a pod
 * "missing" because the operator itself deleted it) must not overwrite what was recorded.
 *
 * <p>The status is replaced with a PUT of the status subresource carrying the resourceVersion
 * that was read: an API server refuses it with 409 when the resource changed since. The stored
 * resourceVersion is compared first as well, because the embedded API stand-in does not check it
 * on PUT (and it concatenates lists in merge patches, so those cannot be used instead). The
 * operator is the only writer of status and never reconciles one resource twice at a time, so
 * the check and the write do not race each other.
 */
public final class StatusWriter {
  private final KubernetesClient client;

  public StatusWriter(KubernetesClient client) {
    this.client = client;
  }

  /** @return false when the resource changed since it was read: nothing was written */
  public <T extends HasMetadata> boolean write(Class<T> type, T resource) {
    String namespace = resource.getMetadata().getNamespace();
    T stored = client.resources(type).inNamespace(namespace).withName(resource.getMetadata().getName()).get();
    if (stored == null
        || !Objects.equals(stored.getMetadata().getResourceVersion(), resource.getMetadata().getResourceVersion())) {
      return false;
    }
    try {
      client.resources(type).inNamespace(namespace).resource(resource).updateStatus();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT || e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }
}
