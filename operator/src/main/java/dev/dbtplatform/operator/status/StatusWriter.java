package dev.dbtplatform.operator.status;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.Optional;

/**
 * Writes a resource's status with optimistic locking. A reconcile may start from a cached
 * resource older than the operator's own last write; what it concludes from that (a pod
 * "missing" because the operator itself deleted it) must not overwrite what was recorded.
 *
 * <p>The status is replaced with a PUT of the status subresource carrying the resourceVersion
 * that was read: the API server refuses it with 409 when the resource changed since (the embedded
 * stand-in checks it too), so no read is needed before the write. A merge patch could not be
 * used instead: the stand-in concatenates lists in merge patches.
 */
public final class StatusWriter {
  private final KubernetesClient client;

  public StatusWriter(KubernetesClient client) {
    this.client = client;
  }

  /**
   * @return the resource as stored with the new status; empty when it changed since it was read,
   *     or is gone: nothing was written
   */
  public <T extends HasMetadata> Optional<T> write(Class<T> type, T resource) {
    try {
      return Optional.of(client.resources(type).inNamespace(resource.getMetadata().getNamespace())
          .resource(resource).updateStatus());
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT || e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
