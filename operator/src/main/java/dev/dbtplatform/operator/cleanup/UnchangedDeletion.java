package dev.dbtplatform.operator.cleanup;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.Objects;

/**
 * Deletes an object only as it was read. The decision to delete was made on what was read; it
 * must not apply to what the object has become since, nor to a newer object of the same name.
 *
 * <p>The delete carries the resourceVersion as a precondition, which an API server enforces
 * (409). The stored resourceVersion is compared first as well, because the embedded API stand-in
 * ignores preconditions (as {@link dev.dbtplatform.operator.status.StatusWriter} explains).
 */
final class UnchangedDeletion {
  private UnchangedDeletion() {}

  /** @return whether this call deleted it; false when it changed (the next pass decides again) or is gone */
  static boolean delete(KubernetesClient client, HasMetadata object) {
    String readVersion = object.getMetadata().getResourceVersion();
    HasMetadata stored = client.resource(object).get();
    if (stored == null || readVersion == null || !Objects.equals(stored.getMetadata().getResourceVersion(), readVersion)) {
      return false;
    }
    try {
      return !client.resource(object).lockResourceVersion(readVersion).delete().isEmpty();
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return false;
      }
      throw e;
    }
  }
}
