package dev.dbtplatform.bench.operator;

import dev.dbtplatform.crd.DbtRun;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Part (b): runs submitted at a steady rate, each on its own schedule whatever the ones before
 * it are doing (an open loop, as independent API callers are), and the time from each run's
 * create call returning to its pod appearing and to the run being reported Running.
 */
final class SteadyRate {
  record Result(int perSecond, int runs, Latencies toPod, Latencies toRunning, int done, long errors) {
    String figures() {
      return String.format("%d runs/s: to pod %s; to Running %s", perSecond, toPod.figures(), toRunning.figures());
    }
  }

  private SteadyRate() {}

  /** One operator for all rates, in the given order, each for {@code window}. */
  static List<Result> measure(List<Integer> rates, Duration window, Duration runTime, int warmUpRuns,
                              PrintStream log)
      throws InterruptedException {
    List<Result> results = new ArrayList<>();
    try (OperatorStage stage = new OperatorStage(runTime)) {
      Drain.warmUp(stage, warmUpRuns, log);
      for (int rate : rates) {
        results.add(atRate(stage, rate, window, runTime, log));
      }
    }
    return results;
  }

  private static Result atRate(OperatorStage stage, int rate, Duration window, Duration runTime, PrintStream log)
      throws InterruptedException {
    int count = (int) Math.max(1, rate * window.toMillis() / 1000);
    List<String> names = new ArrayList<>();
    int before = stage.observer.done();
    long errors;
    try (Submitter submitter = new Submitter(stage.client)) {
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        long due = start + i * 1_000_000_000L / rate;
        LockSupport.parkNanos(due - System.nanoTime());
        DbtRun run = BenchRuns.run("rate-" + rate + "-" + i);
        names.add(run.getMetadata().getName());
        submitter.submit(run);
      }
      submitter.awaitAll();
      stage.observer.awaitDone(before + count, runTime.plus(window).plusSeconds(60));
      List<Long> toPod = new ArrayList<>();
      List<Long> toRunning = new ArrayList<>();
      for (String name : names) {
        Long created = submitter.created(name);
        toPod.add(since(created, stage.observer.podSeen(name)));
        toRunning.add(since(created, stage.observer.runningSeen(name)));
      }
      errors = submitter.errors();
      Result result = new Result(rate, count, Latencies.of(toPod), Latencies.of(toRunning),
          stage.observer.done() - before, errors + stage.node.errors());
      log.printf("throughput: %s%n", result.figures());
      return result;
    }
  }

  /** The pod may be seen before the create call returns: its latency is then zero. */
  private static Long since(Long created, Long seen) {
    return created == null || seen == null ? null : Math.max(0, seen - created);
  }
}
