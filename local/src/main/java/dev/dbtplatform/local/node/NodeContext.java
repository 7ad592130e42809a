package dev.dbtplatform.local.node;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/** What every {@link PodWorker} of a node shares. */
final class NodeContext {
  final LocalNodeConfig config;
  final KubernetesClient client;
  final ScheduledExecutorService scheduler;
  final ConfigLookup lookup;
  final PodFilesystem filesystem;
  final EnvResolver envResolver;
  final ProcessLauncher launcher;
  final PodStatusWriter statusWriter;
  final Map<String, String> jvmEnv;
  /** Told when a worker has nothing running any more. */
  final Consumer<PodWorker> onFinished;
  private volatile boolean closed;

  NodeContext(LocalNodeConfig config, KubernetesClient client, ScheduledExecutorService scheduler,
      ConfigLookup lookup, Map<String, String> jvmEnv, Consumer<PodWorker> onFinished) {
    this.config = config;
    this.client = client;
    this.scheduler = scheduler;
    this.lookup = lookup;
    this.filesystem = new PodFilesystem(config, lookup);
    this.envResolver = new EnvResolver(lookup);
    this.launcher = new ProcessLauncher(scheduler, config.echoLogs());
    this.statusWriter = new PodStatusWriter(client);
    this.jvmEnv = Map.copyOf(jvmEnv);
    this.onFinished = onFinished;
  }

  /** Once closed, nothing is written to the API any more (the API may be shutting down too). */
  boolean closed() {
    return closed;
  }

  void close() {
    closed = true;
  }
}
