package dev.dbtplatform.operator.run;

import dev.dbtplatform.crd.DbtRun;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.Set;

/**
 * Reconciles waiting runs again when their turn may have come. A run's own events do not say
 * that another run of its job or account ended, so without this it would only notice at its next
 * timed check. The reconciler sends the wake-ups; they carry no data, each run decides again from
 * what it reads.
 */
final class QueueWakeups extends AbstractEventSource<QueueWakeups.Wakeup, DbtRun> {
  /** Nothing is cached: the type only names this source. */
  record Wakeup() {}

  QueueWakeups() {
    super(Wakeup.class, "queue-wakeups");
  }

  void wake(DbtRun run) {
    // Not started (a reconciler called directly by a test, an operator stopping): the timed check remains.
    if (isRunning() && getEventHandler() != null) {
      getEventHandler().handleEvent(new Event(ResourceID.fromResource(run)));
    }
  }

  @Override
  public Set<Wakeup> getSecondaryResources(DbtRun primary) {
    return Set.of();
  }
}
