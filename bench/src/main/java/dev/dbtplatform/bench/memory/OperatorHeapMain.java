package dev.dbtplatform.bench.memory;

import dev.dbtplatform.operator.DbtPlatformOperator;
import dev.dbtplatform.operator.OperatorConfig;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.Counter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Clock;

/**
 * The child JVM of the memory benchmark: an operator alone in its process, as it runs in its pod.
 * Prints the heap in use after GC before the operator starts, then starts it against the API at
 * {@code args[0]}, waits until its caches are in sync and it has reconciled at least
 * {@code args[1]} runs and gone quiet, and prints the heap in use after GC again. Lines are
 * {@code name=value} for {@link ChildOperator} to read.
 */
public final class OperatorHeapMain {
  private static final String RECONCILES = "operator.sdk.reconciliations.started";
  /** Quiet means no reconcile started for this long. */
  private static final long QUIET_MILLIS = 2000;
  /** Measures anyway after this long, saying so, rather than never. */
  private static final long GIVE_UP_MILLIS = 300_000;

  private OperatorHeapMain() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    long expected = Long.parseLong(args[1]);
    System.out.println("baseline=" + heapAfterGc());
    long start = System.nanoTime();
    try (KubernetesClient client = new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder().withMasterUrl(url).withTrustCerts(true).build()).build();
         DbtPlatformOperator operator = DbtPlatformOperator.start(client,
             OperatorConfig.defaults().withMetricsPort(-1), Clock.systemUTC())) {
      System.out.printf("synced=%.1f%n", (System.nanoTime() - start) / 1e9);
      long last = -1;
      long quietSince = System.currentTimeMillis();
      long giveUpAt = System.currentTimeMillis() + GIVE_UP_MILLIS;
      while (System.currentTimeMillis() < giveUpAt) {
        long reconciles = (long) operator.registry().find(RECONCILES).counters().stream()
            .mapToDouble(Counter::count).sum();
        if (reconciles != last) {
          last = reconciles;
          quietSince = System.currentTimeMillis();
        } else if (reconciles >= expected && System.currentTimeMillis() - quietSince >= QUIET_MILLIS) {
          break;
        }
        Thread.sleep(100);
      }
      System.out.println("quiet=" + (System.currentTimeMillis() < giveUpAt));
      System.out.println("reconciled=" + last);
      System.out.printf("seconds=%.1f%n", (System.nanoTime() - start) / 1e9);
      System.out.println("heap=" + heapAfterGc());
    }
    System.exit(0);
  }

  /** Heap in use right after a full collection, by the collector's own account of each heap pool. */
  static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    long used = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
        used += pool.getCollectionUsage().getUsed();
      }
    }
    return used;
  }
}
