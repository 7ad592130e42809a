package dev.dbtplatform.embedded;

import java.util.Optional;

/**
 * Where {@link EmbeddedKubernetes} finds what a pod's container wrote, to answer
 * {@code GET /api/v1/namespaces/{ns}/pods/{name}/log} as a kubelet would. The mock API itself runs
 * nothing; whatever runs the pods (the local node) has their output.
 */
@FunctionalInterface
public interface PodLogs {
  /** No output for any pod: every log request of an existing pod answers that its container has not started. */
  PodLogs NONE = (namespace, pod, container, tailBytes) -> Optional.empty();

  /**
   * @param tailBytes the most to return: the end of a longer output, from a line start
   * @return the container's output so far (UTF-8 text), or empty when it has none, not even an empty one
   */
  Optional<String> read(String namespace, String pod, String container, long tailBytes);
}
