package dev.dbtplatform.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbtplatform.contract.RunOutcome;
import dev.dbtplatform.contract.RuntimeEnv;
import dev.dbtplatform.contract.StepStatus;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.RunPhase;
import dev.dbtplatform.embedded.EmbeddedKubernetes;
import dev.dbtplatform.operator.UncachedContext;
import dev.dbtplatform.operator.metrics.RunMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/**
 * A reconcile that starts from a cached run older than the operator's own last status write
 * must not undo it: the run below finished with a failed step, its pod was then removed, and a
 * stale copy (still Running, pod recorded) comes in; it must not turn the result into PodDeleted.
 */
class StaleReadTest {

  @Test
  void aStaleCopyOfTheRunCannotOverwriteItsRecordedResult() {
    try (EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start()) {
      KubernetesClient client = kubernetes.newClient();
      DbtRunReconciler reconciler = new DbtRunReconciler(client, DbtRunReconcilerTest.CONFIG,
          new RunMetrics(new SimpleMeterRegistry()), Clock.systemUTC());
      TestKubelet kubelet = new TestKubelet(client, "default");
      DbtRun run = inlineRun();
      client.resource(run).create();
      String name = run.getMetadata().getName();

      reconcile(reconciler, client, name); // resolve, volume and pod: Starting
      kubelet.running(name);
      reconcile(reconciler, client, name); // Running
      DbtRun staleRunning = read(client, name);
      kubelet.terminated(name, RuntimeEnv.EXIT_STEP_FAILED, DbtRunReconcilerTest.summary(RunOutcome.Failed,
          "Step 3 failed", StepStatus.Failed, StepStatus.Skipped).toTerminationMessage());
      reconcile(reconciler, client, name); // Failed/StepFailed recorded, pod left for the flush to remove
      assertThat(read(client, name).getStatus().reason).isEqualTo("StepFailed");
      assertThat(kubelet.pod(name)).as("the pod outlives the pass that records its result").isNotNull();

      client.pods().inNamespace("default").withName(name).delete();
      reconciler.reconcile(staleRunning, new UncachedContext<>(client));

      DbtRun stored = read(client, name);
      assertThat(stored.getStatus().phase).isEqualTo(RunPhase.Failed);
      assertThat(stored.getStatus().reason).isEqualTo("StepFailed");
      assertThat(kubelet.podsOfRun(name)).isZero();
    }
  }

  private static DbtRun inlineRun() {
    var spec = DbtRunReconcilerTest.spec();
    spec.environmentRef = null;
    spec.git = new dev.dbtplatform.crd.GitSource();
    spec.git.url = "https://git.example.com/shop.git";
    spec.warehouse = new dev.dbtplatform.crd.WarehouseConnection("postgres", "w");
    return DbtRunReconcilerTest.run(spec);
  }

  private static void reconcile(DbtRunReconciler reconciler, KubernetesClient client, String name) {
    reconciler.reconcile(read(client, name), new UncachedContext<>(client));
  }

  private static DbtRun read(KubernetesClient client, String name) {
    return client.resources(DbtRun.class).inNamespace("default").withName(name).get();
  }
}
