package dev.dbtplatform.develop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dbtplatform.contract.DevelopConfig;
import dev.dbtplatform.contract.RuntimeEnv;
import dev.dbtplatform.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A session as a whole: its token, its health, a resume over the same workspace, and two users side by side. */
class SessionTest {
  @TempDir
  static Path shared;
  static EmbeddedPostgres warehouse;
  static Fixtures.Remote remote;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() throws Exception {
    warehouse = Fixtures.startWarehouse();
    remote = Fixtures.Remote.create(shared.resolve("remote"));
  }

  @AfterAll
  static void stop() {
    if (warehouse != null) {
      warehouse.close();
    }
  }

  @Test
  void everyRequestButHealthNeedsTheSessionsToken() throws Exception {
    try (Session session = Session.start(dir.resolve("alan"), "Alan", remote, null, "dev_alan")) {
      Api anonymous = session.api.withToken(null);
      Api.Response refused = anonymous.get("/files/tree");
      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.errorCode()).isEqualTo("unauthorized");
      assertThat(anonymous.get("/no/such/path").status()).isEqualTo(401);
      assertThat(anonymous.post("/dbt/commands", Api.json("command", "seed")).status()).isEqualTo(401);
      assertThat(session.api.withToken("tok-wrong").get("/git/status").status()).isEqualTo(401);
      assertThat(session.api.withToken(session.token + "x").get("/git/status").status()).isEqualTo(401);

      Api.Response health = anonymous.get("/health");
      assertThat(health.status()).isEqualTo(200);
      assertThat(health.get("status").asText()).isEqualTo("ok");
      assertThat(health.get("last_activity").asText()).isNotEmpty();

      assertThat(session.api.get("/files/tree").status()).isEqualTo(200);
      assertThat(session.api.get("/git/status").status()).isEqualTo(200);
    }
  }

  @Test
  void withoutATokenFileTheServerDoesNotStart() throws Exception {
    DevelopSettings settings = Session.settings(dir.resolve("no-token"), "Nobody", null, remote.url(), null, "dev_x");
    Files.delete(settings.tokenFile());
    assertThatThrownBy(() -> DevelopServer.start(settings))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("No develop token at " + settings.tokenFile())
        .hasMessageContaining(RuntimeEnv.DEVELOP_TOKEN_DIR);
  }

  @Test
  void healthIs503WithTheReasonWhileTheRepositoryCannotBeCloned() throws Exception {
    DevelopSettings settings = Session.settings(dir.resolve("bad-remote"), "Edsger", null,
        "file://" + dir.resolve("no-such-repository.git"), null, "dev_edsger");
    try (DevelopServer server = DevelopServer.start(settings)) {
      Api api = new Api(server.port(), Files.readString(settings.tokenFile()).strip());
      await().atMost(Duration.ofMinutes(1)).until(() -> api.get("/health").get("status").asText().equals("failed"));
      Api.Response health = api.get("/health");
      assertThat(health.status()).isEqualTo(503);
      assertThat(health.get("message").asText()).contains("no-such-repository");
      Api.Response files = api.get("/files/tree");
      assertThat(files.status()).isEqualTo(503);
      assertThat(files.errorCode()).isEqualTo("workspace_not_ready");
    }
  }

  @Test
  void aResumedSessionFindsItsUncommittedAndUnpushedWorkIntact() throws Exception {
    DevelopSettings settings = Session.settings(dir.resolve("ada"), "Ada", "ada@example.com", remote.url(), warehouse, "dev_ada");
    String committed;
    try (Session first = Session.start(settings)) {
      first.api.writeFile("models/committed.sql", "select 1 as committed\n");
      committed = first.api.post("/git/commit", Api.json("message", "Not pushed yet")).get("sha").asText();
      first.api.writeFile("models/marts/orders.sql", "select 'uncommitted edit' as x\n");
      first.api.writeFile("models/untracked.sql", "select 'untracked' as x\n");
      first.api.post("/git/branches", Api.json("name", "ada/work"));
    }

    try (Session resumed = Session.start(settings)) {
      Api.Response status = resumed.api.get("/git/status");
      assertThat(status.get("branch").asText()).isEqualTo("ada/work");
      assertThat(status.get("head").asText()).isEqualTo(committed);
      assertThat(status.get("files").toString()).contains("models/marts/orders.sql", "models/untracked.sql");
      assertThat(resumed.api.readFile("models/marts/orders.sql").get("content").asText()).isEqualTo("select 'uncommitted edit' as x\n");
      assertThat(resumed.api.readFile("models/untracked.sql").status()).isEqualTo(200);
      assertThat(remote.log("main")).doesNotContain("Not pushed yet");
      // And it still works: dbt runs in the resumed workspace.
      assertThat(resumed.api.post("/dbt/compile", Api.json("sql", "select 1 as one")).status()).isEqualTo(200);
    }
  }

  @Test
  void twoUsersSessionsAreIsolated() throws Exception {
    try (Session ada = Session.start(dir.resolve("ada"), "Ada", remote, warehouse, "dev_ada");
        Session bob = Session.start(dir.resolve("bob"), "Bob", remote, warehouse, "dev_bob")) {
      assertThat(ada.api.withToken(bob.token).get("/files/tree").status()).isEqualTo(401);
      assertThat(bob.api.withToken(ada.token).get("/files/tree").status()).isEqualTo(401);

      ada.api.writeFile("models/adas_model.sql", "select 'ada' as owner\n");
      assertThat(bob.api.readFile("models/adas_model.sql").status()).isEqualTo(404);
      assertThat(bob.checkout().resolve("models/adas_model.sql")).doesNotExist();

      // Each one's dbt uses their own credentials and schema.
      assertThat(ada.api.post("/preview", Api.json("sql", "select '{{ target.schema }}' as s")).get("rows").get(0).get(0).asText())
          .isEqualTo("dev_ada");
      assertThat(bob.api.post("/preview", Api.json("sql", "select '{{ target.schema }}' as s")).get("rows").get(0).get(0).asText())
          .isEqualTo("dev_bob");
      assertThat(ada.api.post("/preview", Api.json("sql", "select '{{ env_var(\"SESSION_OWNER\") }}' as s")).get("rows").get(0).get(0)
          .asText()).isEqualTo("Ada");

      // A command running in one session does not hold up the other.
      String sleeping = Commands.start(ada.api, Api.json("command", "run-operation", "macro", "sleep", "args", Map.of("seconds", 30)));
      Commands.awaitLine(ada.api, sleeping, "Sleeping 30 seconds", Duration.ofMinutes(1));
      assertThat(bob.api.post("/dbt/compile", Api.json("sql", "select 1 as one")).status()).isEqualTo(200);
      assertThat(bob.api.get("/dbt/commands").get("commands")).isEmpty();
      assertThat(bob.api.get("/dbt/commands/" + sleeping).status()).isEqualTo(404);
      assertThat(bob.api.get("/health").get("command_running").asBoolean()).isFalse();
      ada.api.post("/dbt/commands/" + sleeping + "/cancel");
      Commands.awaitEnd(ada.api, sleeping, Duration.ofMinutes(1));

      ada.api.post("/git/branches", Api.json("name", "ada/feature"));
      ada.api.post("/git/commit", Api.json("message", "Ada's model"));
      ada.api.post("/git/push");
      bob.api.writeFile("models/bobs_model.sql", "select 'bob' as owner\n");
      bob.api.post("/git/branches", Api.json("name", "bob/feature"));
      bob.api.post("/git/commit", Api.json("message", "Bob's model"));
      bob.api.post("/git/push");
      assertThat(remote.log("ada/feature").lines().findFirst().orElseThrow()).isEqualTo("Ada <ada@example.com>|Ada's model");
      assertThat(remote.log("bob/feature").lines().findFirst().orElseThrow()).isEqualTo("Bob <bob@example.com>|Bob's model");
    }
  }

  @Test
  void theSettingsComeFromTheEnvironmentAsTheOperatorSetsIt() {
    DevelopConfig config = new DevelopConfig("1", "team-a", "s", "Ada", null, "https://git.example.com/shop.git", null, null,
        "dev", 4, "postgres", Map.of(), 0);
    Map<String, String> env = new HashMap<>();
    env.put(RuntimeEnv.DEVELOP_CONFIG, config.toJson());
    DevelopSettings settings = DevelopSettings.fromEnvironment(env);
    assertThat(settings.workspace()).isEqualTo(Path.of(RuntimeEnv.DEFAULT_WORKSPACE));
    assertThat(settings.tokenFile()).isEqualTo(Path.of(RuntimeEnv.DEFAULT_DEVELOP_TOKEN_DIR, "token"));
    assertThat(settings.port()).isEqualTo(DevelopConfig.DEFAULT_PORT);
    assertThat(settings.host()).isEqualTo("0.0.0.0");
    assertThat(settings.dbtExecutable()).isEqualTo("dbt");

    env.put(RuntimeEnv.DEVELOP_CONFIG, "{\"user\": \"Ada\", \"adapterType\": \"postgres\"}");
    assertThatThrownBy(() -> DevelopSettings.fromEnvironment(env)).hasMessageContaining("gitUrl");
    env.remove(RuntimeEnv.DEVELOP_CONFIG);
    assertThatThrownBy(() -> DevelopSettings.fromEnvironment(env)).hasMessageContaining(RuntimeEnv.DEVELOP_CONFIG);
  }
}
