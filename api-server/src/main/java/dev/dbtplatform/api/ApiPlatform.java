package dev.dbtplatform.api;

import dev.dbtplatform.api.db.Database;
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
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The API server process: the application database (migrated on start), the run history
 * recorder watching DbtRuns, the HTTP API over both, and the worker sending webhook deliveries.
 * The Kubernetes client is the caller's.
 */
public final class ApiPlatform implements AutoCloseable {
  private final List<AutoCloseable> started = new ArrayList<>();
  private Database db;
  private ApiServer server;

  private ApiPlatform() {}

  /**
   * @param objectStore where run logs and artifacts are; null when there is none to read
   */
  public static ApiPlatform start(ApiServerSettings settings, Database db, KubernetesClient cluster,
                                  ObjectStoreSettings objectStore, Clock clock) {
    ApiPlatform platform = new ApiPlatform();
    try {
      platform.db = db;
      RunFiles files = objectStore == null ? null : platform.track(new RunFiles(objectStore));
      ApiServices services = new ApiServices(db, cluster, files, clock);
      platform.track(new RunHistoryRecorder(services.accounts(), services.ids(), services.runs()).start(cluster));
      platform.server = platform.track(ApiServer.start(settings, services));
      platform.track(new WebhookDeliveryWorker(db, WebhookDeliverySettings.defaults(), clock).start());
      return platform;
    } catch (RuntimeException e) {
      platform.close();
      throw e;
    }
  }

  /**
   * The API server as above, plus retention: runs that finished longer than
   * {@code retention.retention()} ago are removed from run history with their logs and artifacts.
   */
  public static ApiPlatform start(ApiServerSettings settings, Database db, KubernetesClient cluster,
                                  ObjectStoreSettings objectStore, RetentionSettings retention, Clock clock) {
    ApiPlatform platform = start(settings, db, cluster, objectStore, clock);
    try {
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
