package dev.dbtplatform.api;

import dev.dbtplatform.embedded.PodLogs;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** What the tests' pods wrote, served as their logs by the Kubernetes API stand-in. */
public final class PodOutput implements PodLogs {
  private final Map<String, String> output = new ConcurrentHashMap<>();

  /** Sets everything a pod's container has written so far. */
  public void set(String namespace, String pod, String container, String text) {
    output.put(namespace + "/" + pod + "/" + container, text);
  }

  @Override
  public Optional<String> read(String namespace, String pod, String container, long tailBytes) {
    return Optional.ofNullable(output.get(namespace + "/" + pod + "/" + container));
  }
}
