package dev.dbtplatform.bench.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Creates objects from a pool of client threads, as many API callers at once would, and notes
 * when each create call returned (a run exists from then on, whoever looks).
 */
final class Submitter implements AutoCloseable {
  /** Callers at once: enough to keep the API stand-in busy, as the operator's 50 reconcile threads can. */
  static final int THREADS = 16;

  private final KubernetesClient client;
  private final ExecutorService callers = Executors.newFixedThreadPool(THREADS);
  private final Map<String, Long> created = new ConcurrentHashMap<>();
  private final AtomicLong errors = new AtomicLong();

  Submitter(KubernetesClient client) {
    this.client = client;
  }

  void submit(HasMetadata object) {
    callers.execute(() -> {
      try {
        client.resource(object).create();
        created.put(object.getMetadata().getName(), System.nanoTime());
      } catch (RuntimeException e) {
        errors.incrementAndGet();
      }
    });
  }

  /** When the create of this name returned, or null if it did not (yet). */
  Long created(String name) {
    return created.get(name);
  }

  long errors() {
    return errors.get();
  }

  /** Waits for every submitted create; answers when the last one returned. */
  long awaitAll() throws InterruptedException {
    callers.shutdown();
    callers.awaitTermination(10, TimeUnit.MINUTES);
    return created.values().stream().mapToLong(Long::longValue).max().orElse(System.nanoTime());
  }

  @Override
  public void close() {
    callers.shutdownNow();
  }
}
