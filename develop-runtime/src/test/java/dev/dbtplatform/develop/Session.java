package dev.dbtplatform.develop;

import static org.awaitility.Awaitility.await;

import dev.dbtplatform.contract.DevelopConfig;
import dev.dbtplatform.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * A develop runtime in this JVM over its own folders, as a develop pod would run it: a workspace
 * volume, the user's warehouse credentials, the token, and a git remote.
 */
final class Session implements AutoCloseable {
  final Path dir;
  final Path workspace;
  final String token;
  final DevelopSettings settings;
  final DevelopServer server;
  final Api api;

  private Session(Path dir, DevelopSettings settings, String token, DevelopServer server) {
    this.dir = dir;
    this.workspace = settings.workspace();
    this.settings = settings;
    this.token = token;
    this.server = server;
    this.api = new Api(server.port(), token);
  }

  /** Settings for a user's session in {@code dir}; the token is written there. */
  static DevelopSettings settings(Path dir, String user, String email, String gitUrl, EmbeddedPostgres warehouse,
      String schema) throws IOException {
    Path tokenDir = dir.resolve("token");
    Files.createDirectories(tokenDir);
    Files.writeString(tokenDir.resolve("token"), "tok-" + UUID.randomUUID() + "\n");
    DevelopConfig config = new DevelopConfig("1", "team-a", "session-" + user, user, email, gitUrl, "main", null,
        "dev", 2, "postgres", Map.of("SESSION_OWNER", user), 0);
    return new DevelopSettings(config, dir.resolve("volume"), Fixtures.warehouseDir(dir.resolve("warehouse"), warehouse, schema),
        dir.resolve("no-git-credentials"), tokenDir, Fixtures.dbtExecutable(), System.getenv(), "127.0.0.1", 0);
  }

  /** Starts the runtime and waits until its workspace is ready. */
  static Session start(DevelopSettings settings) throws IOException {
    String token = Files.readString(settings.tokenFile()).strip();
    Session session = new Session(settings.workspace().getParent(), settings, token, DevelopServer.start(settings));
    session.awaitReady();
    return session;
  }

  static Session start(Path dir, String user, Fixtures.Remote remote, EmbeddedPostgres warehouse, String schema)
      throws IOException {
    return start(settings(dir, user, user.toLowerCase().replace(' ', '.') + "@example.com", remote.url(), warehouse, schema));
  }

  Path checkout() {
    return workspace.resolve("project");
  }

  void awaitReady() {
    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
        .until(() -> api.get("/health").status() == 200);
  }

  @Override
  public void close() {
    server.close();
  }
}
