package dev.dbtplatform.api;

import dev.dbtplatform.api.db.Database;
import dev.dbtplatform.api.history.RunHistoryRecorder;
import dev.dbtplatform.api.http.ApiServer;
import dev.dbtplatform.api.http.ApiServerSettings;
import dev.dbtplatform.api.http.ApiServices;
import dev.dbtplatform.api.storage.ObjectStoreSettings;
import dev.dbtplatform.api.storage.RunFiles;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The API server process: the application database (migrated on start), the run history
 * recorder watching DbtRuns, and the HTTP API over both. The Kubernetes client is the caller's.
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
