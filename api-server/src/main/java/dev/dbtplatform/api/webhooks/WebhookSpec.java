package dev.dbtplatform.api.webhooks;

import java.util.List;

/**
 * What a client asks a subscription to be: checked before it gets here.
 *
 * @param jobIds the jobs whose runs it is told about; empty for every job of the account
 */
public record WebhookSpec(String name, String description, String clientUrl, List<WebhookEvent> eventTypes,
                          List<Long> jobIds, boolean active) {
  public WebhookSpec {
    eventTypes = List.copyOf(eventTypes);
    jobIds = List.copyOf(jobIds);
  }
}
