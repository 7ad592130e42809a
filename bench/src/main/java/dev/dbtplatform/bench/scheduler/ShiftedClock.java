package dev.dbtplatform.bench.scheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The system clock moved forward by a constant of less than a minute: it runs at real speed, so
 * every wait of the operator (JOSDK timers, reconcile delays) lasts as long as it would on the
 * wall clock, but a minute begins when the benchmark wants it to instead of up to a minute
 * later. The operator and the benchmark read the same instance, so fire times and sightings
 * are on one time line. Only ever ahead: a clock behind the API server would put the jobs'
 * creation times in its future, and fires before a job's creation are not the job's.
 */
final class ShiftedClock extends Clock {
  private final Duration ahead;

  private ShiftedClock(Duration ahead) {
    this.ahead = ahead;
  }

  /** A clock on which a minute begins {@code lead} from now. */
  static ShiftedClock minuteBeginsIn(Duration lead) {
    Instant then = Instant.now().plus(lead);
    Instant nextMinute = Instant.ofEpochSecond((then.getEpochSecond() / 60 + 1) * 60);
    return new ShiftedClock(Duration.between(then, nextMinute));
  }

  Duration ahead() {
    return ahead;
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(ahead);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
