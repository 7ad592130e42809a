package dev.dbtplatform.bench.operator;

import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.RunPhase;
import dev.dbtplatform.operator.resources.RunLabels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a user watching the cluster sees, timed on arrival: when each run's pod appears, when the
 * run is first reported Running, and when it has ended with its logs flushed. Times are
 * {@link System#nanoTime()} at the moment the watch event is handled here, so they include the
 * watch's delivery, as any client's view does.
 */
public final class RunObserver implements AutoCloseable {
  private final Map<String, Long> podSeen = new ConcurrentHashMap<>();
  private final Map<String, Long> runningSeen = new ConcurrentHashMap<>();
  private final Map<String, Long> doneSeen = new ConcurrentHashMap<>();
  private final AtomicInteger notSucceeded = new AtomicInteger();
  private final SharedIndexInformer<DbtRun> runs;
  private final SharedIndexInformer<Pod> pods;

  public RunObserver(KubernetesClient client) {
    pods = client.pods().inNamespace(BenchRuns.NAMESPACE).withLabel(ApiGroup.MANAGED_BY_LABEL, ApiGroup.MANAGED_BY)
        .inform(new Handler<>(this::podEvent));
    runs = client.resources(DbtRun.class).inNamespace(BenchRuns.NAMESPACE).inform(new Handler<>(this::runEvent));
  }

  private void podEvent(Pod pod) {
    if (RunLabels.COMPONENT_RUN.equals(RunLabels.component(pod))) {
      RunLabels.runName(pod).ifPresent(run -> podSeen.putIfAbsent(run, System.nanoTime()));
    }
  }

  private void runEvent(DbtRun run) {
    if (run.getStatus() == null || run.getStatus().phase == null) {
      return;
    }
    long now = System.nanoTime();
    String name = run.getMetadata().getName();
    RunPhase phase = run.getStatus().phase;
    if (phase == RunPhase.Running) {
      runningSeen.putIfAbsent(name, now);
    }
    boolean flushed = run.getStatus().logs != null && run.getStatus().logs.flushedAt != null;
    if (phase.isTerminal() && flushed && doneSeen.putIfAbsent(name, now) == null && phase != RunPhase.Succeeded) {
      notSucceeded.incrementAndGet();
    }
  }

  /** When the run's pod was first seen, or null. */
  public Long podSeen(String run) {
    return podSeen.get(run);
  }

  public Long runningSeen(String run) {
    return runningSeen.get(run);
  }

  public Long doneSeen(String run) {
    return doneSeen.get(run);
  }

  /** Runs seen ended with their logs flushed. */
  public int done() {
    return doneSeen.size();
  }

  /** Of those, the runs that ended otherwise than Succeeded. */
  public int notSucceeded() {
    return notSucceeded.get();
  }

  /** Waits until {@code count} runs are done; false when the time ran out first. */
  public boolean awaitDone(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (done() < count) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  @Override
  public void close() {
    runs.close();
    pods.close();
  }

  private record Handler<T>(java.util.function.Consumer<T> seen) implements ResourceEventHandler<T> {
    @Override
    public void onAdd(T obj) {
      seen.accept(obj);
    }

    @Override
    public void onUpdate(T oldObj, T newObj) {
      seen.accept(newObj);
    }

    @Override
    public void onDelete(T obj, boolean deletedFinalStateUnknown) {}
  }
}
