package dev.dbtplatform.api.http;

import dev.dbtplatform.api.db.AccountRepository;
import dev.dbtplatform.api.db.AuditLog;
import dev.dbtplatform.api.db.Database;
import dev.dbtplatform.api.db.ObjectIds;
import dev.dbtplatform.api.db.RunHistory;
import dev.dbtplatform.api.db.TokenRepository;
import dev.dbtplatform.api.db.UserRepository;
import dev.dbtplatform.api.develop.DevelopSettings;
import dev.dbtplatform.api.storage.RunFiles;
import dev.dbtplatform.api.webhooks.WebhookDeliveries;
import dev.dbtplatform.api.webhooks.WebhookDeliverySettings;
import dev.dbtplatform.api.webhooks.WebhookMetrics;
import dev.dbtplatform.api.webhooks.WebhookOutbox;
import dev.dbtplatform.api.webhooks.WebhookSecrets;
import dev.dbtplatform.api.webhooks.WebhookSubscriptions;
import dev.dbtplatform.api.webhooks.WebhookTester;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;

/**
 * What the endpoints work with: the application database, the Kubernetes API (where projects,
 * environments, jobs and runs are custom resources), the object store holding run logs and
 * artifacts (null when none is configured), the clock, how webhooks are delivered and their
 * secrets sealed, and the meter registry that {@code GET /metrics} serves (shared with the
 * webhook delivery worker, so that one scrape shows both), and how develop sessions are reached.
 */
public record ApiServices(Database db, KubernetesClient cluster, RunFiles files, Clock clock,
                          WebhookDeliverySettings webhookSettings, WebhookSecrets webhookSecrets,
                          PrometheusMeterRegistry registry, DevelopSettings develop) {

  /** Default webhook delivery, secrets stored unencrypted, a registry of its own: for tests and tools. */
  public ApiServices(Database db, KubernetesClient cluster, RunFiles files, Clock clock) {
    this(db, cluster, files, clock, WebhookDeliverySettings.defaults(), WebhookSecrets.unencrypted(),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /** Develop sessions reached with the default settings. */
  public ApiServices(Database db, KubernetesClient cluster, RunFiles files, Clock clock,
                     WebhookDeliverySettings webhookSettings, WebhookSecrets webhookSecrets,
                     PrometheusMeterRegistry registry) {
    this(db, cluster, files, clock, webhookSettings, webhookSecrets, registry, DevelopSettings.defaults());
  }

  public AccountRepository accounts() {
    return new AccountRepository(db);
  }

  public TokenRepository tokens() {
    return new TokenRepository(db);
  }

  public UserRepository users() {
    return new UserRepository(db);
  }

  public ObjectIds ids() {
    return new ObjectIds(db);
  }

  /** Run history that queues webhook deliveries for the run events it records. */
  public RunHistory runs() {
    return new RunHistory(db, new WebhookOutbox(clock));
  }

  public WebhookSubscriptions webhooks() {
    return new WebhookSubscriptions(db, clock, webhookSecrets);
  }

  public WebhookDeliveries webhookDeliveries() {
    return new WebhookDeliveries(db);
  }

  public WebhookMetrics webhookMetrics() {
    return new WebhookMetrics(registry);
  }

  /** Sends test deliveries; it holds an HTTP client, so make one per server, not per request. */
  public WebhookTester webhookTester() {
    return new WebhookTester(db, webhookSettings, webhookSecrets, webhookMetrics(), clock);
  }

  public AuditLog audit() {
    return new AuditLog(db);
  }
}
