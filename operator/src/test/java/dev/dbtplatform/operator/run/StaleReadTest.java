package dev.dbtplatform.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbtplatform.contract.RunOutcome;
import dev.dbtplatform.contract.RuntimeEnv;
import dev.dbtplatform.contract.StepStatus;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.RunPhase;
import dev.dbtplatform.embedded.EmbeddedKubernetes;
import dev.dbtplatform.operator.metrics.RunMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import io.javaoperatorsdk.operator.processing.event.EventSourceRetriever;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
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
      reconciler.reconcile(staleRunning, new PodlessContext(client));

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
    reconciler.reconcile(read(client, name), new PodlessContext(client));
  }

  private static DbtRun read(KubernetesClient client, String name) {
    return client.resources(DbtRun.class).inNamespace("default").withName(name).get();
  }

  /** A context whose caches are empty, so the reconciler asks the API for what it needs. */
  private record PodlessContext(KubernetesClient client) implements Context<DbtRun> {
    @Override public Optional<RetryInfo> getRetryInfo() { return Optional.empty(); }
    @Override public <R> Set<R> getSecondaryResources(Class<R> type) { return Set.of(); }
    @Override public <R> Optional<R> getSecondaryResource(Class<R> type, String eventSourceName) { return Optional.empty(); }
    @Override public ControllerConfiguration<DbtRun> getControllerConfiguration() { return null; }
    @Override public ManagedWorkflowAndDependentResourceContext managedWorkflowAndDependentResourceContext() { return null; }
    @Override public EventSourceRetriever<DbtRun> eventSourceRetriever() { return null; }
    @Override public KubernetesClient getClient() { return client; }
    @Override public ExecutorService getWorkflowExecutorService() { return null; }
    @Override public DbtRun getPrimaryResource() { return null; }
    @Override public IndexedResourceCache<DbtRun> getPrimaryCache() { return null; }
    @Override public boolean isNextReconciliationImminent() { return false; }
    @Override public boolean isPrimaryResourceDeleted() { return false; }
    @Override public boolean isPrimaryResourceFinalStateUnknown() { return false; }
  }
}
