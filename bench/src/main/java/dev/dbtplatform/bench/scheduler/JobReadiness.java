package dev.dbtplatform.bench.scheduler;

import dev.dbtplatform.crd.DbtJob;
import dev.dbtplatform.operator.job.DbtJobReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When the operator has taken on every job: each shows Ready=True and the next fire it is waiting
 * for in its status. Only then is a fire the scheduler's to keep; before, the operator is still
 * starting. Watched from before the operator starts, so no status write goes unseen.
 */
final class JobReadiness implements Watcher<DbtJob>, AutoCloseable {
  private final Set<String> ready = ConcurrentHashMap.newKeySet();
  private final Watch watch;

  JobReadiness(KubernetesClient client, String namespace) {
    this.watch = client.resources(DbtJob.class).inNamespace(namespace).watch(this);
  }

  @Override
  public void eventReceived(Action action, DbtJob job) {
    if (job.getSpec().triggers != null && job.getSpec().triggers.schedule != null && isReady(job)) {
      ready.add(job.getMetadata().getName());
    }
  }

  @Override
  public void onClose(WatcherException cause) {}

  /** Waits until {@code jobs} scheduled jobs are ready; false if that takes longer than {@code timeout}. */
  boolean await(int jobs, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (ready.size() < jobs) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  int readyJobs() {
    return ready.size();
  }

  @Override
  public void close() {
    watch.close();
  }

  private static boolean isReady(DbtJob job) {
    return job.getStatus() != null && job.getStatus().nextRunTime != null
        && job.getStatus().conditions.stream()
            .anyMatch(c -> DbtJobReconciler.READY.equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
