package dev.dbtplatform.local.node;

/**
 * A pod refers to something that does not exist (a Secret, a ConfigMap, a key, a volume) or that the
 * local node cannot provide. The kubelet leaves such a container Waiting with reason
 * {@code CreateContainerConfigError} and retries; so does the local node.
 */
final class PodConfigException extends Exception {
  PodConfigException(String message) {
    super(message);
  }
}
