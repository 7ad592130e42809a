package dev.dbtplatform.operator.job;

import dev.dbtplatform.contract.Cron;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a schedule asks for now. Only the latest fire at or before now is ever considered: after
 * downtime the fires in between are not replayed, so a job never starts a burst of runs. That
 * fire starts a run if nothing handled it yet, it is not older than the job, and it is at most
 * the catch-up time ago; an older one is reported as missed.
 *
 * @param due the fire to start a run for now
 * @param missed the fire that came and went unhandled for longer than the catch-up time
 * @param next the first fire after now
 */
record ScheduleDecision(Optional<Instant> due, Optional<Instant> missed, Instant next) {

  /**
   * @param created when the job was created: fires before it are not the job's
   * @param handled the latest fire already started or reported missed, or null
   */
  static ScheduleDecision decide(Cron cron, Instant created, Instant handled, Instant now, Duration catchUp) {
    Instant latest = cron.lastFireAtOrBefore(now);
    Instant next = cron.next(now);
    boolean alreadyHandled = handled != null && !latest.isAfter(handled);
    if (alreadyHandled || latest.isBefore(created)) {
      return new ScheduleDecision(Optional.empty(), Optional.empty(), next);
    }
    if (Duration.between(latest, now).compareTo(catchUp) <= 0) {
      return new ScheduleDecision(Optional.of(latest), Optional.empty(), next);
    }
    return new ScheduleDecision(Optional.empty(), Optional.of(latest), next);
  }
}
