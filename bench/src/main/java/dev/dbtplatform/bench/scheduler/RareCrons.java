package dev.dbtplatform.bench.scheduler;

import dev.dbtplatform.contract.Cron;
import java.time.Instant;
import java.util.Random;

/**
 * Schedules of the jobs that are not meant to fire during the benchmark, shaped like real ones
 * (hourly, every few hours, nightly, on weekdays, weekly, monthly) at spread-out minutes, so that
 * the operator keeps thousands of different next-fire timers, not one. A schedule that would fire
 * between {@code quietFrom} and {@code quietUntil} is drawn again: a fire there would be a run the
 * measurement does not expect, and a fire shortly before the operator starts would be caught up
 * at its first pass.
 */
final class RareCrons {
  private final Random random;
  private final Instant quietFrom;
  private final Instant quietUntil;

  /** The same seed gives the same schedules for the same quiet time. */
  RareCrons(long seed, Instant quietFrom, Instant quietUntil) {
    this.random = new Random(seed);
    this.quietFrom = quietFrom;
    this.quietUntil = quietUntil;
  }

  String next() {
    while (true) {
      String cron = draw();
      if (Cron.parse(cron).next(quietFrom).isAfter(quietUntil)) {
        return cron;
      }
    }
  }

  private String draw() {
    int minute = random.nextInt(60);
    int hour = random.nextInt(24);
    return switch (random.nextInt(6)) {
      case 0 -> minute + " * * * *";
      case 1 -> minute + " */" + (2 + random.nextInt(5)) + " * * *";
      case 2 -> minute + " " + hour + " * * *";
      case 3 -> minute + " " + hour + " * * 1-5";
      case 4 -> minute + " " + hour + " * * " + random.nextInt(7);
      default -> minute + " " + hour + " " + (1 + random.nextInt(28)) + " * *";
    };
  }
}
