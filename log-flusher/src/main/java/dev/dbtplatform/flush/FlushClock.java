package dev.dbtplatform.flush;

import java.time.Duration;
import java.time.Instant;

/** Time as the flush sees it: injectable so that tests of retries do not wait. */
public interface FlushClock {
  /** Wall-clock time, for the report. */
  Instant now();

  /** A monotonic reading in nanoseconds, for measuring how long the store has been down. */
  long nanoTime();

  void sleep(Duration duration) throws InterruptedException;

  FlushClock SYSTEM = new FlushClock() {
    @Override
    public Instant now() {
      return Instant.now();
    }

    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
      Thread.sleep(duration.toMillis());
    }
  };
}
