package dev.dbtplatform.flush;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A clock whose sleeps return at once and move time forward. */
final class FakeClock implements FlushClock {
  private final Instant start = Instant.parse("2026-01-02T03:04:05Z");
  private long nanos;
  final List<Duration> sleeps = new ArrayList<>();

  @Override
  public synchronized Instant now() {
    return start.plusNanos(nanos);
  }

  @Override
  public synchronized long nanoTime() {
    return nanos;
  }

  @Override
  public synchronized void sleep(Duration duration) {
    sleeps.add(duration);
    nanos += duration.toNanos();
  }

  synchronized void advance(Duration duration) {
    nanos += duration.toNanos();
  }

  synchronized Duration totalSlept() {
    return sleeps.stream().reduce(Duration.ZERO, Duration::plus);
  }
}
