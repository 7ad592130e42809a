package dev.dbtplatform.api.webhooks;

import java.util.Arrays;
import java.util.Optional;

/** The run events dbt Cloud sends webhooks for, by the names its API and payloads use. */
public enum WebhookEvent {
  STARTED("job.run.started"),
  /** Any end of a run: success, error or cancellation. */
  COMPLETED("job.run.completed"),
  /** An errored run: sent besides {@link #COMPLETED}, as dbt Cloud does. */
  ERRORED("job.run.errored");

  public final String wireName;

  WebhookEvent(String wireName) {
    this.wireName = wireName;
  }

  public static Optional<WebhookEvent> ofWireName(String name) {
    return Arrays.stream(values()).filter(e -> e.wireName.equals(name)).findFirst();
  }
}
