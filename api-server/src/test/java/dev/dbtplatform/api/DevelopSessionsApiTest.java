package dev.dbtplatform.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbtplatform.api.ApiTestHarness.Response;
import dev.dbtplatform.api.ApiTestHarness.Tenant;
import dev.dbtplatform.api.db.AuditLog;
import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.crd.DbtDevelopSession;
import dev.dbtplatform.crd.DbtDevelopSessionStatus;
import dev.dbtplatform.crd.DevelopPhase;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Develop sessions as DbtDevelopSessions: made, listed, read, stopped and deleted by their user
 * with a personal token. There is no operator here: tests write the status it would.
 */
class DevelopSessionsApiTest {
  static ApiTestHarness api;
  static Tenant account;
  static Tenant alice;
  static Tenant bob;
  static Tenant theirs;
  static Tenant carol;
  static long project;
  static long development;
  static long theirDevelopment;

  @BeforeAll
  static void start() {
    api = ApiTestHarness.shared();
    account = api.newAccount("Develop");
    alice = api.newUser(account, "alice");
    bob = api.newUser(account, "bob");
    theirs = api.newAccount("Develop, other");
    carol = api.newUser(theirs, "carol");
    project = api.createProject(account, "Shop").get("id").asLong();
    development = api.createDevelopmentEnvironment(account, project, "Shop dev");
    theirDevelopment = api.createDevelopmentEnvironment(theirs, api.createProject(theirs, "Theirs").get("id").asLong(), "Their dev");
  }

  static String sessions(Tenant as) {
    return as.v3() + "/develop/sessions/";
  }

  static JsonNode create(Tenant as, long environmentId) {
    return api.createDevelopSession(as, environmentId);
  }

  static DbtDevelopSession resource(Tenant as, JsonNode session) {
    return api.kubernetes().resources(DbtDevelopSession.class).inNamespace(as.namespace())
        .withName(session.get("name").asText()).get();
  }

  @Test
  void createMakesTheCallersSessionInTheAccountsNamespace() {
    Map<String, Object> body = new HashMap<>();
    body.put("environment_id", development);
    body.put("credentials_secret_name", "alice-dev");
    body.put("idle_timeout_seconds", 7200);
    body.put("git_branch", "feature/orders");
    Response r = api.post(alice, sessions(alice), body).expect(201);
    JsonNode s = r.data();
    long id = s.get("id").asLong();
    assertThat(s.get("account_id").asLong()).isEqualTo(account.id());
    assertThat(s.get("environment_id").asLong()).isEqualTo(development);
    assertThat(s.get("project_id").asLong()).isEqualTo(project);
    assertThat(s.get("user").asText()).isEqualTo("alice");
    assertThat(s.get("user_email").asText()).isEqualTo("alice@example.com");
    assertThat(s.get("credentials_secret_name").asText()).isEqualTo("alice-dev");
    assertThat(s.get("git_branch").asText()).isEqualTo("feature/orders");
    assertThat(s.get("idle_timeout_seconds").asLong()).isEqualTo(7200);
    assertThat(s.get("state").asText()).isEqualTo("pending");
    assertThat(s.get("state_message").asText()).contains("operator");
    assertThat(s.get("reason").isNull()).isTrue();
    assertThat(s.get("created_at").asText()).isNotBlank();
    assertThat(s.get("ready_at").isNull()).isTrue();
    assertThat(s.get("stopped_at").isNull()).isTrue();
    assertThat(s.get("resumes").asInt()).isZero();
    assertThat(s.get("ide_url").asText())
        .isEqualTo("http://127.0.0.1:" + api.port() + "/api/v3/accounts/" + account.id() + "/develop/sessions/" + id + "/ide/");
    assertThat(s.get("name").asText()).isEqualTo("alice-" + id);

    DbtDevelopSession cr = resource(alice, s);
    assertThat(cr.getSpec().user).isEqualTo("alice");
    assertThat(cr.getSpec().userEmail).isEqualTo("alice@example.com");
    assertThat(cr.getSpec().environmentRef.name).isEqualTo("shop-dev");
    assertThat(cr.getSpec().credentialsSecretRef.name).isEqualTo("alice-dev");
    assertThat(cr.getSpec().idleTimeoutSeconds).isEqualTo(7200L);
    assertThat(cr.getSpec().gitBranch).isEqualTo("feature/orders");
    assertThat(cr.getSpec().deleteWorkspaceOnDelete).isFalse();
    assertThat(cr.getMetadata().getLabels())
        .containsEntry(ApiGroup.ACCOUNT_ID_LABEL, Long.toString(account.id()))
        .containsEntry(ApiGroup.ENVIRONMENT_ID_LABEL, Long.toString(development))
        .containsEntry(ApiGroup.PROJECT_ID_LABEL, Long.toString(project))
        .containsEntry(ApiGroup.GROUP + "/develop-session-id", Long.toString(id));

    AuditLog.Entry audit = new AuditLog(api.db()).recent(account.id(), 1).get(0);
    assertThat(audit.method()).isEqualTo("POST");
    assertThat(audit.statusCode()).isEqualTo(201);
    assertThat(audit.objectKind()).isEqualTo("DbtDevelopSession");
    assertThat(audit.objectId()).isEqualTo(id);

    // the defaults: an hour, the environment's branch
    JsonNode plain = create(alice, development);
    assertThat(plain.get("idle_timeout_seconds").asLong()).isEqualTo(3600);
    assertThat(plain.get("git_branch").isNull()).isTrue();
    assertThat(plain.get("id").asLong()).isGreaterThan(id);
  }

  @Test
  void createSaysWhatIsWrongWithTheBody() {
    api.post(alice, sessions(alice), Map.of("credentials_secret_name", "x"))
        .expectError(400, "'environment_id' is required");
    api.post(alice, sessions(alice), Map.of("environment_id", development))
        .expectError(400, "'credentials_secret_name' is required");
    api.post(alice, sessions(alice), Map.of("environment_id", development, "credentials_secret_name", "Not A Name"))
        .expectError(400, "'credentials_secret_name' must be the name of a Kubernetes object");
    api.post(alice, sessions(alice), Map.of("environment_id", development, "credentials_secret_name", "x",
        "idle_timeout_seconds", 30)).expectError(400, "'idle_timeout_seconds' must be between 60 and 604800");
    api.post(alice, sessions(alice), Map.of("environment_id", "seven", "credentials_secret_name", "x"))
        .expectError(400, "'environment_id' must be a whole number");
    api.post(alice, sessions(alice), Map.of("environment_id", 999_999, "credentials_secret_name", "x"))
        .expectError(404, "Environment 999999 was not found.");
    // another account's environment is as missing as one that never was
    api.post(alice, sessions(alice), Map.of("environment_id", theirDevelopment, "credentials_secret_name", "x"))
        .expectError(404, "Environment " + theirDevelopment + " was not found.");
    api.post(alice, sessions(alice), "{not json").expectError(400, "not valid JSON");
  }

  @Test
  void serviceTokensAreRefusedWithAMessageAskingForAPersonalToken() {
    long id = create(alice, development).get("id").asLong();
    for (Response r : List.of(
        api.post(account, sessions(account), Map.of("environment_id", development, "credentials_secret_name", "x")),
        api.get(account, sessions(account)),
        api.get(account, sessions(account) + id + "/"),
        api.post(account, sessions(account) + id + "/stop", null),
        api.delete(account, sessions(account) + id + "/"))) {
      r.expectError(403, "personal token (dbtu_...)", "--user <username>");
    }
    assertThat(api.get(alice, sessions(alice) + id + "/").expect(200).data().get("id").asLong()).isEqualTo(id);
    // and the rest of the API takes personal tokens as it takes service tokens
    assertThat(api.get(alice, alice.v2() + "/").expect(200).data().get("id").asLong()).isEqualTo(account.id());
    assertThat(api.get(alice, alice.v3() + "/projects/").expect(200).totalCount()).isEqualTo(1);
  }

  @Test
  void eachUserListsOnlyTheirOwnSessions() {
    Tenant dana = api.newUser(account, "dana");
    Tenant erin = api.newUser(account, "erin");
    long first = create(dana, development).get("id").asLong();
    long second = create(dana, development).get("id").asLong();
    long erins = create(erin, development).get("id").asLong();

    Response list = api.get(dana, sessions(dana)).expect(200);
    assertThat(list.data()).extracting(s -> s.get("id").asLong()).containsExactly(first, second);
    assertThat(list.data()).allSatisfy(s -> assertThat(s.get("user").asText()).isEqualTo("dana"));
    assertThat(list.totalCount()).isEqualTo(2);
    assertThat(list.body().at("/extra/filters/user").asText()).isEqualTo("dana");
    assertThat(api.get(dana, sessions(dana) + "?limit=1&offset=1").expect(200).data())
        .extracting(s -> s.get("id").asLong()).containsExactly(second);
    assertThat(api.get(erin, sessions(erin)).expect(200).data())
        .extracting(s -> s.get("id").asLong()).containsExactly(erins);
    api.get(dana, sessions(dana) + "?limit=0").expectError(400, "'limit'");
  }

  @Test
  void anotherUsersSessionIsNotFoundExactlyLikeAMissingOne() {
    JsonNode session = create(alice, development);
    long id = session.get("id").asLong();
    String path = sessions(alice) + id + "/";

    String missing = api.get(bob, sessions(bob) + 999_999 + "/").expect(404).message();
    assertThat(api.get(bob, path).expect(404).message()).isEqualTo(missing.replace("999999", Long.toString(id)));
    api.post(bob, path + "stop", null).expectError(404, "Develop session " + id + " was not found.");
    api.delete(bob, path).expectError(404, "Develop session " + id + " was not found.");
    api.send("GET", path + "ide/files", "Token " + bob.token(), null)
        .expectError(404, "Develop session " + id + " was not found.");
    // another account's user: its own path does not find it, and this account's path is not theirs
    api.get(carol, sessions(carol) + id + "/").expectError(404, "Develop session " + id + " was not found.");
    api.get(carol, path).expectError(404, "Account " + account.id() + " was not found.");

    DbtDevelopSession cr = resource(alice, session);
    assertThat(cr).isNotNull();
    assertThat(cr.getMetadata().getAnnotations() == null ? Map.of() : cr.getMetadata().getAnnotations())
        .doesNotContainKey(ApiGroup.STOP_REQUESTED_ANNOTATION);
    assertThat(api.get(alice, path).expect(200).data().get("user").asText()).isEqualTo("alice");
  }

  @Test
  void getShowsTheStateTheOperatorWrote() {
    JsonNode session = create(alice, development);
    String path = sessions(alice) + session.get("id").asLong() + "/";
    DbtDevelopSessionStatus status = new DbtDevelopSessionStatus();
    status.phase = DevelopPhase.Ready;
    status.reason = "Ready";
    status.message = "the develop runtime answers at http://develop-x.ns.svc:8080";
    status.readyAt = "2026-11-24T09:00:05Z";
    status.stoppedAt = "2026-11-24T08:00:00Z";
    status.lastActivity = "2026-11-24T09:00:00Z";
    status.resumes = 2;
    writeStatus(alice, session, status);

    JsonNode s = api.get(alice, path).expect(200).data();
    assertThat(s.get("state").asText()).isEqualTo("ready");
    assertThat(s.get("reason").asText()).isEqualTo("Ready");
    assertThat(s.get("state_message").asText()).isEqualTo(status.message);
    assertThat(s.get("ready_at").asText()).startsWith("2026-11-24 09:00:05");
    assertThat(s.get("stopped_at").asText()).startsWith("2026-11-24 08:00:00");
    assertThat(s.get("last_activity_at").asText()).startsWith("2026-11-24 09:00:00");
    assertThat(s.get("resumes").asInt()).isEqualTo(2);

    status.phase = DevelopPhase.Failed;
    status.reason = "InvalidSpec";
    status.message = "DbtEnvironment 'shop-dev' is a deployment environment";
    writeStatus(alice, session, status);
    s = api.get(alice, path).expect(200).data();
    assertThat(s.get("state").asText()).isEqualTo("failed");
    assertThat(s.get("reason").asText()).isEqualTo("InvalidSpec");
    assertThat(s.get("state_message").asText()).contains("deployment environment");
  }

  @Test
  void stopAsksTheOperatorToStopWithTheStopAnnotation() {
    JsonNode session = create(alice, development);
    long id = session.get("id").asLong();
    Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    JsonNode answer = api.post(alice, sessions(alice) + id + "/stop", null).expect(200).data();
    assertThat(answer.get("id").asLong()).isEqualTo(id);
    assertThat(answer.get("state").asText()).isEqualTo("pending"); // until the operator has stopped it

    String stop = resource(alice, session).getMetadata().getAnnotations().get(ApiGroup.STOP_REQUESTED_ANNOTATION);
    assertThat(Instant.parse(stop)).isBetween(before, Instant.now());
    AuditLog.Entry audit = new AuditLog(api.db()).recent(account.id(), 1).get(0);
    assertThat(audit.method()).isEqualTo("POST");
    assertThat(audit.path()).endsWith("/develop/sessions/" + id + "/stop");
    assertThat(audit.objectKind()).isEqualTo("DbtDevelopSession");
    assertThat(audit.objectId()).isEqualTo(id);
    assertThat(audit.statusCode()).isEqualTo(200);
  }

  @Test
  void deleteKeepsTheWorkspaceUnlessAskedAndThenSetsTheFlagBeforeDeleting() {
    JsonNode kept = create(alice, development);
    long keptId = kept.get("id").asLong();
    JsonNode answer = api.delete(alice, sessions(alice) + keptId + "/").expect(200).data();
    assertThat(answer.get("state").asText()).isEqualTo("deleted");
    assertThat(answer.get("workspace_deleted").asBoolean()).isFalse();
    assertThat(resource(alice, kept)).isNull();
    api.get(alice, sessions(alice) + keptId + "/").expectError(404, "Develop session " + keptId + " was not found.");
    assertThat(new AuditLog(api.db()).recent(account.id(), 1).get(0))
        .satisfies(e -> {
          assertThat(e.method()).isEqualTo("DELETE");
          assertThat(e.objectId()).isEqualTo(keptId);
        });

    // the operator holds deletion with a finalizer while it cleans up, and reads the flag then
    JsonNode dropped = create(alice, development);
    long droppedId = dropped.get("id").asLong();
    api.kubernetes().resources(DbtDevelopSession.class).inNamespace(alice.namespace())
        .withName(dropped.get("name").asText())
        .edit(s -> {
          s.getMetadata().setFinalizers(List.of("dbtplatform.dev/test-cleanup"));
          return s;
        });
    api.delete(alice, sessions(alice) + droppedId + "/?delete_workspace=true").expect(200);
    DbtDevelopSession deleting = resource(alice, dropped);
    assertThat(deleting.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(deleting.getSpec().deleteWorkspaceOnDelete).isTrue();
    api.kubernetes().resources(DbtDevelopSession.class).inNamespace(alice.namespace())
        .withName(dropped.get("name").asText())
        .edit(s -> {
          s.getMetadata().setFinalizers(List.of());
          return s;
        });

    api.delete(alice, sessions(alice) + create(alice, development).get("id").asLong() + "/?delete_workspace=maybe")
        .expectError(400, "'delete_workspace' must be true or false");
  }

  @Test
  void lastActivityIsTheLaterOfTheStatusAndTheAnnotation() {
    JsonNode session = create(alice, development);
    DbtDevelopSessionStatus status = new DbtDevelopSessionStatus();
    status.phase = DevelopPhase.Ready;
    status.lastActivity = "2026-11-24T09:00:00Z";
    writeStatus(alice, session, status);
    api.kubernetes().resources(DbtDevelopSession.class).inNamespace(alice.namespace())
        .withName(session.get("name").asText())
        .edit(s -> {
          s.getMetadata().setAnnotations(Map.of(ApiGroup.LAST_ACTIVITY_ANNOTATION, "2026-11-24T09:30:00.250Z"));
          return s;
        });
    JsonNode s = api.get(alice, sessions(alice) + session.get("id").asLong() + "/").expect(200).data();
    assertThat(s.get("last_activity_at").asText()).isEqualTo("2026-11-24 09:30:00.250000+00:00");
  }

  static void writeStatus(Tenant as, JsonNode session, DbtDevelopSessionStatus status) {
    api.kubernetes().resources(DbtDevelopSession.class).inNamespace(as.namespace())
        .withName(session.get("name").asText())
        .editStatus(s -> {
          s.setStatus(status);
          return s;
        });
  }
}
