package dev.dbtplatform.bench.api;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * How long a load runs before it is measured: at least {@code least}, then until the JIT compiler
 * has gone quiet, at most {@code most}. On two cores the compiler shares the CPU with the server
 * and the load threads and takes a minute or more to finish the server's hot paths; a fixed
 * warm-up of 20 s measured the run lookup while the compiler still took a sixth of the CPU, at
 * about two thirds of its steady rate. Quiet means the compiler threads spent less than
 * {@code quietShare} of one core over the last {@link #QUIET_SPAN}, as the JVM counts
 * compilation time ({@link CompilationMXBean#getTotalCompilationTime}).
 */
public record Warmup(Duration least, Duration most, double quietShare) {
  static final Duration QUIET_SPAN = Duration.ofSeconds(5);
  private static final Duration STEP = Duration.ofMillis(500);

  public Warmup {
    if (most.compareTo(least) < 0) {
      throw new IllegalArgumentException("the longest warm-up (" + most.toSeconds()
          + " s) is shorter than the shortest (" + least.toSeconds() + " s)");
    }
  }

  /** Waits while the load runs; answers how long it waited. */
  Duration await() throws InterruptedException {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    boolean counted = jit != null && jit.isCompilationTimeMonitoringSupported();
    long began = System.nanoTime();
    int span = (int) (QUIET_SPAN.toMillis() / STEP.toMillis());
    long[] compiling = new long[span + 1];
    for (int step = 0; ; step++) {
      long waited = System.nanoTime() - began;
      compiling[step % compiling.length] = counted ? jit.getTotalCompilationTime() : 0;
      if (waited >= most.toNanos()) {
        return Duration.ofNanos(waited);
      }
      if (waited >= least.toNanos() && (!counted || step >= span
          && compiling[step % compiling.length] - compiling[(step - span) % compiling.length]
              < quietShare * QUIET_SPAN.toMillis())) {
        return Duration.ofNanos(waited);
      }
      Thread.sleep(STEP.toMillis());
    }
  }
}
