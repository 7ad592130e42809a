package dev.dbtplatform.bench.prep;

import dev.dbtplatform.crd.DbtRun;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Watches a namespace's DbtRuns and Pods and remembers when each was first seen, and when each
 * pod was first seen with a running container: the moments of a run's prep that happen in the
 * Kubernetes API, stamped when the event reached this process.
 */
final class RunWatch implements AutoCloseable {
  private final Map<String, Instant> runsCreated = new ConcurrentHashMap<>();
  private final Map<String, Instant> podsCreated = new ConcurrentHashMap<>();
  private final Map<String, Instant> podsRunning = new ConcurrentHashMap<>();
  private final Watch runs;
  private final Watch pods;

  RunWatch(KubernetesClient client, String namespace) {
    runs = client.resources(DbtRun.class).inNamespace(namespace).watch(watcher((action, run) ->
        runsCreated.putIfAbsent(run.getMetadata().getName(), Instant.now())));
    pods = client.pods().inNamespace(namespace).watch(watcher((action, pod) -> {
      Instant now = Instant.now();
      podsCreated.putIfAbsent(pod.getMetadata().getName(), now);
      if (hasRunningContainer(pod)) {
        podsRunning.putIfAbsent(pod.getMetadata().getName(), now);
      }
    }));
  }

  Optional<Instant> runCreated(String name) {
    return Optional.ofNullable(runsCreated.get(name));
  }

  Optional<Instant> podCreated(String name) {
    return Optional.ofNullable(podsCreated.get(name));
  }

  Optional<Instant> podRunning(String name) {
    return Optional.ofNullable(podsRunning.get(name));
  }

  private static boolean hasRunningContainer(Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null
        && pod.getStatus().getContainerStatuses().stream()
            .anyMatch(s -> s.getState() != null && s.getState().getRunning() != null);
  }

  private static <T extends HasMetadata> Watcher<T> watcher(BiConsumer<Watcher.Action, T> onEvent) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, T resource) {
        onEvent.accept(action, resource);
      }

      @Override
      public void onClose(WatcherException cause) {
        // the platform is stopping; whatever was seen stays recorded
      }
    };
  }

  @Override
  public void close() {
    runs.close();
    pods.close();
  }
}
