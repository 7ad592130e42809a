package dev.dbtplatform.bench.operator;

import dev.dbtplatform.embedded.EmbeddedKubernetes;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The limit: the same number of run pods (built exactly as the operator builds them) created
 * straight through a plain fabric8 client by as many callers as submit runs, against a fresh
 * stand-in with the same fast node completing them. What the API stand-in allows at most for
 * the one write a run cannot do without.
 */
final class DirectPods {
  record Result(int pods, double createSeconds, double podsPerMinute, double completedPerMinute, long errors) {
    String figures() {
      return String.format("%,.0f pods/min created (%,d in %.1f s); %,.0f/min run to Succeeded",
          podsPerMinute, pods, createSeconds, completedPerMinute);
    }
  }

  private DirectPods() {}

  static Result measure(int count, int warmUpPods, Duration timeout, PrintStream log) throws InterruptedException {
    try (EmbeddedKubernetes kubernetes = QuietStandIn.start();
         KubernetesClient client = kubernetes.newClient();
         KubernetesClient nodeClient = kubernetes.newClient();
         FastNode node = new FastNode(nodeClient, Duration.ZERO, 4).start()) {
      Set<String> succeeded = ConcurrentHashMap.newKeySet();
      SharedIndexInformer<Pod> watch = client.pods().inNamespace(BenchRuns.NAMESPACE).inform(new Succeeded(succeeded));
      try {
        createAll(client, "warm-up-", warmUpPods).awaitAll();
        awaitSucceeded(succeeded, warmUpPods, Duration.ofSeconds(60));
        long start = System.nanoTime();
        Submitter submitter = createAll(client, "direct-", count);
        long created = submitter.awaitAll();
        awaitSucceeded(succeeded, warmUpPods + count, timeout);
        long end = System.nanoTime();
        double createSeconds = (created - start) / 1e9;
        Result result = new Result(count, createSeconds, count / createSeconds * 60,
            (succeeded.size() - warmUpPods) / ((end - start) / 1e9) * 60, submitter.errors() + node.errors());
        log.printf("throughput: limit %s%n", result.figures());
        return result;
      } finally {
        watch.close();
      }
    }
  }

  private static Submitter createAll(KubernetesClient client, String prefix, int count) {
    List<Pod> pods = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      pods.add(BenchRuns.pod(prefix + i, OperatorStage.CONFIG));
    }
    Submitter submitter = new Submitter(client);
    pods.forEach(submitter::submit);
    return submitter;
  }

  private static void awaitSucceeded(Set<String> succeeded, int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (succeeded.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  private record Succeeded(Set<String> names) implements ResourceEventHandler<Pod> {
    @Override
    public void onAdd(Pod pod) {
      onUpdate(null, pod);
    }

    @Override
    public void onUpdate(Pod oldPod, Pod pod) {
      if (pod.getStatus() != null && "Succeeded".equals(pod.getStatus().getPhase())) {
        names.add(pod.getMetadata().getName());
      }
    }

    @Override
    public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {}
  }
}
