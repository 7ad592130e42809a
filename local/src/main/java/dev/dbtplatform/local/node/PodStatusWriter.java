package dev.dbtplatform.local.node;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what the node reports: the binding (spec.nodeName, the only spec field it touches) and the
 * status, always through the status subresource. Every write checks the pod's UID, so a status never
 * lands on a newer pod of the same name; a pod that is gone is not an error.
 */
final class PodStatusWriter {
  private static final Logger LOG = LoggerFactory.getLogger(PodStatusWriter.class);
  private static final int ATTEMPTS = 5;

  private final KubernetesClient client;

  PodStatusWriter(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Binds the pod to the node. A real scheduler posts a Binding; the mock API has no binding
   * subresource, so spec.nodeName is set with a JSON patch holding a single "add" operation, after
   * checking that the pod is still the same (UID) and unbound. (No JSON patch "test" operation: a
   * failing one makes the mock drop the request without an answer.)
   *
   * @return the bound pod, or null if it is gone, replaced, or bound to another node
   */
  Pod bind(Pod pod, String nodeName) {
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    try {
      Pod current = client.pods().inNamespace(ns).withName(name).get();
      if (current == null || !pod.getMetadata().getUid().equals(current.getMetadata().getUid())) {
        return null;
      }
      String boundTo = current.getSpec().getNodeName();
      if (boundTo != null && !boundTo.isEmpty()) {
        return boundTo.equals(nodeName) ? current : null;
      }
      String patch = "[{\"op\":\"add\",\"path\":\"/spec/nodeName\",\"value\":" + json(nodeName) + "}]";
      Pod bound = client.pods().inNamespace(ns).withName(name).patch(PatchContext.of(PatchType.JSON), patch);
      if (bound == null || !pod.getMetadata().getUid().equals(bound.getMetadata().getUid())) {
        return null;
      }
      return bound;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return null;
      }
      throw e;
    }
  }

  enum Result { WRITTEN, GONE, FAILED }

  /** Replaces the pod's status; GONE if the pod is gone or replaced by another pod of the same name. */
  Result write(String namespace, String name, String uid, PodStatus status) {
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      Pod current;
      try {
        current = client.pods().inNamespace(namespace).withName(name).get();
      } catch (KubernetesClientException e) {
        LOG.warn("cannot read pod {}/{} to update its status: {}", namespace, name, e.getMessage());
        return Result.FAILED;
      }
      if (current == null || !uid.equals(current.getMetadata().getUid())) {
        return Result.GONE;
      }
      current.setStatus(status);
      try {
        client.pods().resource(current).updateStatus();
        return Result.WRITTEN;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return Result.GONE;
        }
        if (e.getCode() != 409 || attempt == ATTEMPTS) {
          LOG.warn("cannot update the status of pod {}/{}: {}", namespace, name, e.getMessage());
          return Result.FAILED;
        }
      }
    }
    return Result.FAILED;
  }

  private static String json(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
