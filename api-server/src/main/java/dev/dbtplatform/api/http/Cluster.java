package dev.dbtplatform.api.http;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Supplier;

/** Calls to the Kubernetes API, with its refusals turned into answers a client can act on. */
final class Cluster {
  private Cluster() {}

  static <T> T call(Supplier<T> call) {
    try {
      return call.get();
    } catch (KubernetesClientException e) {
      throw refused("read from the cluster", e);
    }
  }

  /**
   * 422 (the CRD's schema or CEL rules said no) and 409 (a conflicting change) are the caller's
   * to fix; anything else is the cluster being unavailable.
   */
  static ApiException refused(String what, KubernetesClientException e) {
    int code = e.getCode();
    String reason = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
    if (code == 422 || code == 400) {
      return ApiException.badRequest("The cluster refused to " + what + ": " + reason);
    }
    if (code == 409) {
      return new ApiException(409, "Could not " + what + ": it changed at the same time (" + reason + "); try again.");
    }
    if (code == 403) {
      return new ApiException(503, "The API server is not allowed to " + what + " in the cluster; "
          + "check its RBAC permissions.");
    }
    return new ApiException(503, "The cluster could not " + what + " right now (" + reason + "); try again shortly.");
  }
}
