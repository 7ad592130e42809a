package dev.dbtplatform.bench.memory;

import dev.dbtplatform.bench.BenchSection;
import dev.dbtplatform.bench.BenchSettings;
import dev.dbtplatform.bench.Benchmark;
import dev.dbtplatform.bench.operator.QuietStandIn;
import dev.dbtplatform.embedded.EmbeddedKubernetes;
import dev.dbtplatform.operator.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 2: the operator's heap with many runs in its caches, measured in a JVM of its own,
 * next to the same operator's heap with nothing to watch, measured in the same run.
 */
public final class MemoryBench implements Benchmark {
  private static final long MIB = 1L << 20;

  @Override
  public int number() {
    return 2;
  }

  @Override
  public String key() {
    return "memory";
  }

  @Override
  public String title() {
    return "Operator memory";
  }

  @Override
  public String target() {
    return "heap ≤ 256 MiB with 10,000 finished runs cached";
  }

  @Override
  public Map<String, String> options() {
    return Map.of("memory-finished-runs", "10000", "memory-active-runs", "1000", "memory-foreign-objects", "3000");
  }

  @Override
  public BenchSection run(BenchSettings settings, PrintStream log) throws Exception {
    int finished = settings.integer("memory-finished-runs");
    int active = settings.integer("memory-active-runs");
    int foreign = settings.integer("memory-foreign-objects");
    ChildOperator.Heap idle;
    ChildOperator.Heap foreignOnly;
    ChildOperator.Heap full;
    try (EmbeddedKubernetes kubernetes = QuietStandIn.start(); KubernetesClient client = kubernetes.newClient()) {
      StandInFill fill = new StandInFill(client, OperatorConfig.defaults());
      idle = ChildOperator.measure(kubernetes.url(), 0, log);
      fill.environment();
      fill.foreign(foreign);
      foreignOnly = ChildOperator.measure(kubernetes.url(), 0, log);
      long t0 = System.nanoTime();
      fill.finished(finished);
      fill.active(active);
      log.printf("memory: %,d finished and %,d active runs stored in %.0f s%n", finished, active,
          (System.nanoTime() - t0) / 1e9);
      full = ChildOperator.measure(kubernetes.url(), finished + active, log);
    }
    return section(finished, active, foreign, idle, foreignOnly, full);
  }

  private BenchSection section(int finished, int active, int foreign, ChildOperator.Heap idle,
                               ChildOperator.Heap foreignOnly, ChildOperator.Heap full) {
    long runs = finished + active;
    double perRun = runs == 0 ? 0 : (double) (full.heapBytes() - foreignOnly.heapBytes()) / runs;
    boolean met = full.heapBytes() <= 256 * MIB;
    List<BenchSection.Row> rows = List.of(
        new BenchSection.Row(String.format("operator, %,d finished + %,d active runs", finished, active),
            String.format("%s heap after GC (%s over its JVM's baseline); %,.0f bytes per cached run",
                mib(full.heapBytes()), mib(full.operatorBytes()), perRun),
            String.format("+%s over idle", mib(full.heapBytes() - idle.heapBytes())), target(),
            BenchSection.verdict(met)),
        new BenchSection.Row(String.format("operator, only %,d pods/volumes not its own", foreign),
            mib(foreignOnly.heapBytes()) + " heap after GC",
            String.format("%+.1f MiB over idle", (foreignOnly.heapBytes() - idle.heapBytes()) / (double) MIB), "", ""),
        BenchSection.Row.limit("idle operator, empty API", mib(idle.heapBytes()) + " heap after GC"));
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("full.heapBytes", (double) full.heapBytes());
    figures.put("full.operatorBytes", (double) full.operatorBytes());
    figures.put("full.reconciles", (double) full.reconciles());
    figures.put("full.bytesPerRun", perRun);
    figures.put("foreign.heapBytes", (double) foreignOnly.heapBytes());
    figures.put("idle.heapBytes", (double) idle.heapBytes());
    figures.put("idle.baselineBytes", (double) idle.baselineBytes());
    String method = String.format("The operator runs in a child JVM of its own (%s, G1) started with this "
        + "benchmark's classpath; it connects to an embedded Kubernetes API stand-in (fabric8's mock server in "
        + "CRUD mode) in the parent JVM, so the stand-in's objects are not in the heap measured. Its client speaks "
        + "HTTP/2 as to a cluster's API server (over cleartext here, h2c); when the JDK client misreads a large "
        + "list on an upgraded connection, which happens now and then, the child is started again (at most "
        + "three times). Over HTTP/1.1 the same caches measured about 45 MiB more, in byte arrays, which has "
        + "not been explained. The child prints "
        + "its heap in use after GC (System.gc() three times, then the heap pools' usage after the last "
        + "collection, MemoryPoolMXBean.getCollectionUsage) before the operator starts (its baseline), then starts "
        + "the operator with DbtPlatformOperator.start (default configuration), which returns once its informers "
        + "are in sync, waits until JOSDK has started at least one reconcile per stored run and none for 2 s, "
        + "and measures again. Three children, one after another, against the same stand-in as it fills: "
        + "empty (the idle operator, the comparison), then with %,d pods and volumes of another application "
        + "(no managed-by label: the operator's informers select on it, so these should cost nothing), then "
        + "with %,d finished DbtRuns added (Succeeded, every tenth Failed, with the status the operator writes: "
        + "resolved snapshot, four steps with log and artifact locations, conditions, timings, logs flushed; "
        + "their pods and volumes gone) and %,d Running runs, each with its Running pod and its volume. "
        + "Bytes per cached run are the third heap minus the second over the number of runs.",
        ChildOperator.MAX_HEAP, foreign, finished, active);
    return new BenchSection(number(), title(), rows, method, figures);
  }

  private static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / (double) MIB);
  }
}
