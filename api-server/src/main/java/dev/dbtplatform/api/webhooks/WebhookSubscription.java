package dev.dbtplatform.api.webhooks;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A webhook subscription as stored. {@code publicId} ("wsu_...") is the id clients see;
 * {@code httpStatusCode} is the receiver's answer to the latest delivery, 0 before any.
 * {@code storedSecret} is the signing secret in its stored form (see {@link WebhookSecrets}):
 * only the sender opens it, to sign.
 */
public record WebhookSubscription(long id, String publicId, long accountId, String name, String description,
                                  String clientUrl, List<WebhookEvent> eventTypes, List<Long> jobIds, boolean active,
                                  String storedSecret, int httpStatusCode, OffsetDateTime dispatchedAt,
                                  OffsetDateTime createdAt, OffsetDateTime updatedAt) {

  /** Whether a run of this job should be told about with this event. */
  public boolean wants(WebhookEvent event, Long jobId) {
    return active && eventTypes.contains(event) && (jobIds.isEmpty() || jobIds.contains(jobId));
  }

  @Override
  public String toString() { // keep the secret out of logs and assertion messages
    return "WebhookSubscription[" + publicId + ", account " + accountId + ", " + clientUrl + ", " + eventTypes + "]";
  }
}
