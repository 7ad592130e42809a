package dev.dbtplatform.bench.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load: {@code concurrency} platform threads, each with a connection of its own,
 * send one request after another for a warm-up ({@link Warmup}) and then a measured window. Only
 * requests that start and end inside the window count, so warm-up and stragglers never skew the
 * figures.
 */
public final class LoadRun {
  /** One thread's way to send one request; throws when the answer is not the expected one. */
  public interface Worker extends AutoCloseable {
    void request() throws Exception;
  }

  public interface WorkerFactory {
    Worker open() throws Exception;
  }

  private LoadRun() {}

  public static LoadResult run(String name, int concurrency, Warmup warmup, Duration window, WorkerFactory factory)
      throws InterruptedException {
    CountDownLatch ready = new CountDownLatch(concurrency);
    CountDownLatch go = new CountDownLatch(1);
    AtomicLong errors = new AtomicLong();
    Window bounds = new Window();
    List<Latencies> perThread = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      Latencies latencies = new Latencies();
      perThread.add(latencies);
      Thread t = new Thread(() -> {
        try (Worker worker = factory.open()) {
          ready.countDown();
          go.await();
          for (long now = System.nanoTime(); now < bounds.end; now = System.nanoTime()) {
            try {
              worker.request();
              long done = System.nanoTime();
              if (now >= bounds.start && done <= bounds.end) {
                latencies.add(done - now);
              }
            } catch (Exception e) {
              errors.incrementAndGet();
            }
          }
        } catch (Exception e) {
          ready.countDown();
          errors.incrementAndGet();
        }
      }, "load-" + name + "-" + i);
      threads.add(t);
      t.start();
    }
    ready.await();
    go.countDown();
    Duration warmedUp = warmup.await();
    long start = System.nanoTime();
    bounds.end = start + window.toNanos(); // first, so that a thread that sees the start sees the end
    bounds.start = start;
    for (Thread t : threads) {
      t.join();
    }
    long[] all = Latencies.merge(perThread);
    Arrays.sort(all);
    return new LoadResult(name, concurrency, all.length, errors.get(), window.toNanos() / 1e9,
        percentile(all, 0.50), percentile(all, 0.99), warmedUp.toMillis() / 1e3);
  }

  /** The measured window: not begun and never ending until the warm-up is over. */
  private static final class Window {
    volatile long start = Long.MAX_VALUE;
    volatile long end = Long.MAX_VALUE;
  }

  private static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }

  /** A growable array of nanosecond latencies, one per thread so that recording never contends. */
  private static final class Latencies {
    private long[] values = new long[64 * 1024];
    private int size;

    void add(long nanos) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = nanos;
    }

    static long[] merge(List<Latencies> parts) {
      long[] all = new long[parts.stream().mapToInt(p -> p.size).sum()];
      int at = 0;
      for (Latencies p : parts) {
        System.arraycopy(p.values, 0, all, at, p.size);
        at += p.size;
      }
      return all;
    }
  }
}
