package dev.dbtplatform.develop;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * When the user last did something that keeps the session alive. As in dbt Cloud, dbt commands
 * and previews count and file saves do not: an editor left open autosaving must not keep a pod
 * (and its warehouse credentials) up forever. A dbt command counts for as long as it runs, so a
 * long build is never taken for idleness.
 */
public final class Activity {
  private final Clock clock;
  private final AtomicReference<Instant> last;
  private final AtomicInteger running = new AtomicInteger();

  /** The session's start counts as activity, so a new session is not idle at once. */
  public Activity(Clock clock) {
    this.clock = clock;
    this.last = new AtomicReference<>(clock.instant());
  }

  public void touch() {
    Instant now = clock.instant();
    last.accumulateAndGet(now, (a, b) -> a.isAfter(b) ? a : b);
  }

  public void commandStarted() {
    running.incrementAndGet();
    touch();
  }

  public void commandEnded() {
    touch();
    running.decrementAndGet();
  }

  public boolean commandRunning() {
    return running.get() > 0;
  }

  /** The last activity; now while a dbt command runs. */
  public Instant lastActivity() {
    return commandRunning() ? clock.instant() : last.get();
  }
}
