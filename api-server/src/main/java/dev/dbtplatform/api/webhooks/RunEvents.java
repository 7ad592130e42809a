package dev.dbtplatform.api.webhooks;

import dev.dbtplatform.api.runs.RunStatus;
import dev.dbtplatform.api.runs.StoredRun;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The webhook events a run's recorded state calls for. They follow from the state alone, not
 * from the change that led to it, so recording the same state again (duplicate events, the
 * informer's resync, a second API replica) finds the same events, and the deliveries table's
 * unique constraint keeps each one to a single delivery.
 */
final class RunEvents {
  /** An event and when it happened: subscriptions made after that are not told about it. */
  record Occurred(WebhookEvent event, OffsetDateTime at) {}

  private RunEvents() {}

  static List<Occurred> of(StoredRun run, OffsetDateTime now) {
    List<Occurred> events = new ArrayList<>();
    RunStatus status = run.status();
    boolean started = status == RunStatus.STARTING || status == RunStatus.RUNNING
        || (status.isComplete() && run.startedAt() != null);
    if (started) {
      events.add(new Occurred(WebhookEvent.STARTED, orNow(run.startedAt(), now)));
    }
    // errored goes out at once; completed only once clients can fetch the run's logs and
    // artifacts, as dbt Cloud sends it after ingesting them (the API shows the run as Running
    // until then, for at most StoredRun.ARTIFACTS_GRACE)
    if (status == RunStatus.ERROR) {
      events.add(new Occurred(WebhookEvent.ERRORED, orNow(run.finishedAt(), now)));
    }
    if (status.isComplete() && run.asSeenBy(now).status().isComplete()) {
      events.add(new Occurred(WebhookEvent.COMPLETED, orNow(run.finishedAt(), now)));
    }
    return events;
  }

  private static OffsetDateTime orNow(OffsetDateTime at, OffsetDateTime now) {
    return at != null ? at : now;
  }
}
