package dev.dbtplatform.bench.memory;

import dev.dbtplatform.bench.operator.BenchRuns;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.operator.OperatorConfig;
import dev.dbtplatform.operator.resources.RunPodFactory;
import dev.dbtplatform.operator.resources.RunVolumeFactory;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Fills the API stand-in as a busy cluster looks: runs that ended (their pods and volumes gone,
 * as after the flush), runs that are Running (each with its pod and volume), and pods and volumes
 * of other applications, which carry none of the operator's labels.
 */
final class StandInFill {
  private static final int THREADS = 8;
  private final KubernetesClient client;
  private final OperatorConfig config;

  StandInFill(KubernetesClient client, OperatorConfig config) {
    this.client = client;
    this.config = config;
  }

  void environment() {
    BenchRuns.applyEnvironment(client);
  }

  /** Pods and volumes of some other application in the same namespace, half of each. */
  void foreign(int count) throws Exception {
    inParallel(count, i -> {
      Map<String, String> labels = Map.of("app", "web-shop", "tier", i % 3 == 0 ? "db" : "frontend");
      if (i % 2 == 0) {
        // The stand-in keeps a pod's status on create (not a custom resource's): one request instead of two.
        client.resource(new PodBuilder().withNewMetadata().withName("web-shop-" + i)
            .withNamespace(BenchRuns.NAMESPACE).withLabels(labels).endMetadata()
            .withNewSpec().addNewContainer().withName("web").withImage("nginx:1.27")
            .addNewPort().withContainerPort(8080).endPort().endContainer().endSpec()
            .withStatus(runningStatus("web", Instant.now())).build()).create();
      } else {
        client.resource(new PersistentVolumeClaimBuilder().withNewMetadata().withName("web-shop-data-" + i)
            .withNamespace(BenchRuns.NAMESPACE).withLabels(labels).endMetadata()
            .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
            .addToRequests("storage", new Quantity("10Gi")).endResources().endSpec().build()).create();
      }
    });
  }

  /** Runs that ended over the past days, flushed, their pods and volumes deleted. */
  void finished(int count) throws Exception {
    Instant now = Instant.now();
    inParallel(count, i -> {
      DbtRun stored = client.resource(BenchRuns.run("finished-" + i)).create();
      Instant created = now.minusSeconds(120L * (count - i));
      stored.setStatus(RunStatuses.finished(stored, i, created, config));
      client.resource(stored).updateStatus();
    });
  }

  /** Runs Running now, each with its pod (Running) and volume. */
  void active(int count) throws Exception {
    Instant now = Instant.now();
    inParallel(count, i -> {
      DbtRun stored = client.resource(BenchRuns.run("active-" + i)).create();
      client.resource(RunVolumeFactory.build(stored, config.runVolumeSize(), config.storageClass())).create();
      Instant started = now.minusSeconds(i % 600);
      Pod desired = RunPodFactory.build(stored, BenchRuns.resolved(stored, config), config);
      desired.setStatus(runningStatus(desired.getSpec().getContainers().get(0).getName(), started));
      Pod pod = client.resource(desired).create();
      stored.setStatus(RunStatuses.running(stored, pod.getMetadata().getUid(), started.minusSeconds(5), started, config));
      client.resource(stored).updateStatus();
    });
  }

  private static io.fabric8.kubernetes.api.model.PodStatus runningStatus(String container, Instant started) {
    return new PodStatusBuilder().withPhase("Running").withStartTime(started.toString())
        .withContainerStatuses(new ContainerStatusBuilder().withName(container).withReady(true)
            .withState(new ContainerStateBuilder().withNewRunning().withStartedAt(started.toString()).endRunning()
                .build())
            .build())
        .build();
  }

  private static void inParallel(int count, IntConsumer task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int index = i;
        done.add(pool.submit(() -> task.accept(index)));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
      pool.awaitTermination(1, TimeUnit.MINUTES);
    }
  }
}
