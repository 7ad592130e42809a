package dev.dbtplatform.api.http;

import dev.dbtplatform.api.db.AccountRepository;
import dev.dbtplatform.api.db.AuditLog;
import dev.dbtplatform.api.db.Database;
import dev.dbtplatform.api.db.ObjectIds;
import dev.dbtplatform.api.db.RunHistory;
import dev.dbtplatform.api.db.TokenRepository;
import dev.dbtplatform.api.storage.RunFiles;
import dev.dbtplatform.api.webhooks.WebhookDeliveries;
import dev.dbtplatform.api.webhooks.WebhookOutbox;
import dev.dbtplatform.api.webhooks.WebhookSubscriptions;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;

/**
 * What the endpoints work with: the application database, the Kubernetes API (where projects,
 * environments, jobs and runs are custom resources), the object store holding run logs and
 * artifacts (null when none is configured), and the clock.
 */
public record ApiServices(Database db, KubernetesClient cluster, RunFiles files, Clock clock) {
  public AccountRepository accounts() {
    return new AccountRepository(db);
  }

  public TokenRepository tokens() {
    return new TokenRepository(db);
  }

  public ObjectIds ids() {
    return new ObjectIds(db);
  }

  /** Run history that queues webhook deliveries for the run events it records. */
  public RunHistory runs() {
    return new RunHistory(db, new WebhookOutbox(clock));
  }

  public WebhookSubscriptions webhooks() {
    return new WebhookSubscriptions(db, clock);
  }

  public WebhookDeliveries webhookDeliveries() {
    return new WebhookDeliveries(db);
  }

  public AuditLog audit() {
    return new AuditLog(db);
  }
}
