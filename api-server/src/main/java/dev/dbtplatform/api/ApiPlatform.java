package dev.dbtplatform.api;

import dev.dbtplatform.api.db.Database;
import dev.dbtplatform.api.develop.DevelopSettings;
import dev.dbtplatform.api.history.RunHistoryRecorder;
import dev.dbtplatform.api.http.ApiServer;
import dev.dbtplatform.api.http.ApiServerSettings;
import dev.dbtplatform.api.http.ApiServices;
import dev.dbtplatform.api.retention.RetentionSettings;
import dev.dbtplatform.api.retention.RunRetention;
import dev.dbtplatform.api.storage.ObjectStoreSettings;
import dev.dbtplatform.api.storage.RunFiles;
import dev.dbtplatform.api.storage.RunObjectsRemover;
import dev.dbtplatform.api.webhooks.WebhookDeliverySettings;
import dev.dbtplatform.api.webhooks.WebhookDeliveryWorker;
import dev.dbtplatform.api.webhooks.WebhookSecrets;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API server process: the application database (migrated on start), the run history
 * recorder watching DbtRuns, the HTTP API over both (with develop sessions and the way through to
 * their runtimes), the worker sending webhook deliveries (and
 * pruning their log), and, when configured, run retention.
 * The Kubernetes client is the caller's.
 */
public final class ApiPlatform implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiPlatform.class);
  private final List<AutoCloseable> started = new ArrayList<>();
  private Database db;
  private ApiServer server;

  private ApiPlatform() {}

  /**
   * The API server with default webhook delivery and webhook secrets stored unencrypted (it warns
   * about that), without retention.
   *
   * @param objectStore where run logs and artifacts are; null when there is none to read
   */
  public static ApiPlatform start(ApiServerSettings settings, Database db, KubernetesClient cluster,
                                  ObjectStoreSettings objectStore, Clock clock) {
    return start(settings, db, cluster, objectStore, RetentionSettings.keepForever(), WebhookDeliverySettings.defaults(),
        WebhookSecrets.unencrypted(), clock);
  }

  /**
   * The API server as above, plus retention: runs that finished longer than
   * {@code retention.retention()} ago are removed from run history with their logs and artifacts.
   */
  public static ApiPlatform start(ApiServerSettings settings, Database db, KubernetesClient cluster,
                                  ObjectStoreSettings objectStore, RetentionSettings retention, Clock clock) {
    return start(settings, db, cluster, objectStore, retention, WebhookDeliverySettings.defaults(),
        WebhookSecrets.unencrypted(), clock);
  }

  /**
   * The API server as configured: retention as above, webhook deliveries sent and kept as
   * {@code webhooks} says, and their signing secrets sealed with {@code webhookSecrets}' key. With
   * a key, secrets stored plain before are sealed now; without one, new secrets are stored plain,
   * and a warning says so.
   */
  public static ApiPlatform start(ApiServerSettings settings, Database db, KubernetesClient cluster,
                                  ObjectStoreSettings objectStore, RetentionSettings retention,
                                  WebhookDeliverySettings webhooks, WebhookSecrets webhookSecrets, Clock clock) {
    return start(settings, db, cluster, objectStore, retention, webhooks, webhookSecrets, DevelopSettings.defaults(),
        clock);
  }

  /** The API server as above, reaching develop sessions as {@code develop} says. */
  public static ApiPlatform start(ApiServerSettings settings, Database db, KubernetesClient cluster,
                                  ObjectStoreSettings objectStore, RetentionSettings retention,
                                  WebhookDeliverySettings webhooks, WebhookSecrets webhookSecrets,
                                  DevelopSettings develop, Clock clock) {
    ApiPlatform platform = new ApiPlatform();
    try {
      platform.db = db;
      RunFiles files = objectStore == null ? null : platform.track(new RunFiles(objectStore));
      ApiServices services = new ApiServices(db, cluster, files, clock, webhooks, webhookSecrets,
          new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), develop);
      if (webhookSecrets.encrypts()) {
        services.webhooks().sealPlainSecrets();
      } else {
        LOG.warn("{} is not set: webhook signing secrets are stored unencrypted in the database (marked as such). "
            + "Set it to the base64 of 32 random bytes (openssl rand -base64 32) to encrypt them: the server then "
            + "also encrypts the secrets stored so far when it starts.", WebhookSecrets.KEY_VARIABLE);
      }
      platform.track(new RunHistoryRecorder(services.accounts(), services.ids(), services.runs()).start(cluster));
      platform.server = platform.track(ApiServer.start(settings, services));
      platform.track(new WebhookDeliveryWorker(db, webhooks, webhookSecrets, services.webhookMetrics(), clock).start());
      if (retention.enabled()) {
        RunObjectsRemover objects = objectStore == null ? null : platform.track(new RunObjectsRemover(objectStore));
        platform.track(new RunRetention(db, cluster, objects, retention, clock).start());
      }
      return platform;
    } catch (RuntimeException e) {
      platform.close();
      throw e;
    }
  }

  public int port() {
    return server.port();
  }

  public Database db() {
    return db;
  }

  private <T extends AutoCloseable> T track(T component) {
    started.add(component);
    return component;
  }

  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        // keep stopping the rest
      }
    }
    started.clear();
  }
}
