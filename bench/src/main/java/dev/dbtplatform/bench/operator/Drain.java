package dev.dbtplatform.bench.operator;

import dev.dbtplatform.crd.DbtRun;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Part (a): many runs submitted at once, timed until every one has ended with its logs flushed.
 * The rate counts the runs done by the deadline when not all are, so it stays a rate either way.
 */
final class Drain {
  /**
   * @param podsPerMinute how fast the operator created run pods: pods seen over the time from the first
   *     submit to the last pod seen
   * @param volumesLeft run volumes still stored once done (each should have been released)
   */
  record Result(int runs, int done, int notSucceeded, double seconds, double runsPerMinute, double podsPerMinute,
                long errors, int volumesLeft, Latencies toPod) {
    String figures() {
      return String.format("%,.0f runs/min (%,d of %,d runs done in %.1f s); run pods created at %,.0f/min",
          runsPerMinute, done, runs, seconds, podsPerMinute);
    }
  }

  private Drain() {}

  static Result measure(int count, int warmUpRuns, Duration timeout, PrintStream log) throws InterruptedException {
    try (OperatorStage stage = new OperatorStage(Duration.ZERO)) {
      warmUp(stage, warmUpRuns, log);
      List<DbtRun> runs = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        runs.add(BenchRuns.run("drain-" + i));
      }
      int before = stage.observer.done();
      long start = System.nanoTime();
      try (Submitter submitter = new Submitter(stage.client)) {
        runs.forEach(submitter::submit);
        boolean all = stage.observer.awaitDone(before + count, timeout);
        long end = all ? runs.stream().mapToLong(r -> stage.observer.doneSeen(name(r))).max().orElse(start)
            : System.nanoTime();
        int done = stage.observer.done() - before;
        long lastPod = start;
        int pods = 0;
        List<Long> toPod = new ArrayList<>();
        for (DbtRun r : runs) {
          Long pod = stage.observer.podSeen(name(r));
          Long created = submitter.created(name(r));
          if (pod != null) {
            pods++;
            lastPod = Math.max(lastPod, pod);
          }
          toPod.add(pod == null || created == null ? null : Math.max(0, pod - created));
        }
        double seconds = (end - start) / 1e9;
        Result result = new Result(count, done, stage.observer.notSucceeded(), seconds, done / seconds * 60,
            pods / ((lastPod - start) / 1e9) * 60, submitter.errors() + stage.node.errors(),
            volumesLeft(stage), Latencies.of(toPod));
        log.printf("throughput: drain %s%s%n", result.figures(), all ? "" : " (timed out)");
        return result;
      }
    }
  }

  /** Puts runs through first, unmeasured, so that class loading and the JIT are not timed. */
  static void warmUp(OperatorStage stage, int runs, PrintStream log) throws InterruptedException {
    try (Submitter submitter = new Submitter(stage.client)) {
      for (int i = 0; i < runs; i++) {
        submitter.submit(BenchRuns.run("warm-up-" + i));
      }
      if (!stage.observer.awaitDone(runs, Duration.ofSeconds(60))) {
        log.println("throughput: the warm-up runs did not all finish within 60 s");
      }
    }
  }

  /** Waits a little for the last deletions to land, then counts the run volumes still stored. */
  private static int volumesLeft(OperatorStage stage) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    int left;
    do {
      left = stage.client.persistentVolumeClaims().inNamespace(BenchRuns.NAMESPACE).list().getItems().size();
      if (left > 0) {
        Thread.sleep(200);
      }
    } while (left > 0 && System.nanoTime() < deadline);
    return left;
  }

  private static String name(DbtRun run) {
    return run.getMetadata().getName();
  }
}
