package dev.dbtplatform.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbtplatform.api.ApiTestHarness.Tenant;
import dev.dbtplatform.api.db.AuditLog;
import dev.dbtplatform.api.webhooks.TestSecrets;
import dev.dbtplatform.api.webhooks.WebhookSubscriptions;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * dbt Cloud's v3 webhook subscriptions as its clients (the Terraform provider, scripts) use
 * them: the shapes and string-typed fields they read, the secret shown once, replacement on
 * PUT, validation in the envelope, another account's subscription answering 404, and audit.
 */
class WebhooksApiTest {
  static final ApiTestHarness api = ApiTestHarness.shared();
  static Tenant t;
  static Tenant stranger;
  static long jobId;
  static long strangersJobId;

  @BeforeAll
  static void setUp() {
    t = api.newAccount("Webhooks API");
    stranger = api.newAccount("Webhooks stranger");
    long environmentId = api.createEnvironment(t, api.createProject(t, "Shop").get("id").asLong(), "Prod")
        .get("id").asLong();
    jobId = api.createJob(t, environmentId, "Nightly").get("id").asLong();
    long strangersEnvironment = api.createEnvironment(stranger,
        api.createProject(stranger, "Theirs").get("id").asLong(), "Prod").get("id").asLong();
    strangersJobId = api.createJob(stranger, strangersEnvironment, "Theirs").get("id").asLong();
  }

  static String list() {
    return t.v3() + "/webhooks/subscriptions";
  }

  static String one(String id) {
    return t.v3() + "/webhooks/subscription/" + id;
  }

  static Map<String, Object> body(String name, Object eventTypes, Object jobIds) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("description", "tells the on-call channel");
    body.put("client_url", "https://hooks.example.com/dbt");
    body.put("event_types", eventTypes);
    body.put("job_ids", jobIds);
    body.put("active", true);
    return body;
  }

  @Test
  void createShowsTheSecretOnceAndReadsShowDbtCloudsFields() {
    JsonNode created = api.post(t, list() + "/", body("On-call", List.of("job.run.errored", "job.run.completed"),
        List.of(jobId))).expect(201).data();
    String id = created.get("id").asText();
    assertThat(id).matches("wsu_[A-Za-z0-9]{20}");
    assertThat(created.get("hmac_secret").asText()).matches("[0-9a-f]{64}");
    assertThat(created.get("account_identifier").asText()).isEqualTo("act_" + t.id());
    assertThat(created.get("account_id").asText()).isEqualTo(Long.toString(t.id()));
    assertThat(created.get("job_ids").get(0).isTextual()).isTrue();
    assertThat(created.get("job_ids").get(0).asText()).isEqualTo(Long.toString(jobId));
    assertThat(created.get("event_types")).extracting(JsonNode::asText)
        .containsExactly("job.run.errored", "job.run.completed");
    assertThat(created.get("client_url").asText()).isEqualTo("https://hooks.example.com/dbt");
    assertThat(created.get("active").asBoolean()).isTrue();
    assertThat(created.get("http_status_code").asText()).isEqualTo("0");
    assertThat(created.get("dispatched_at").isNull()).isTrue();
    assertThat(created.get("created_at").asText()).matches("\\d{16}"); // microseconds since the epoch
    assertThat(created.get("description").asText()).isEqualTo("tells the on-call channel");

    JsonNode read = api.get(t, one(id)).expect(200).data();
    assertThat(read.has("hmac_secret")).isFalse();
    assertThat(read.get("name").asText()).isEqualTo("On-call");
    JsonNode listed = api.get(t, list()).expect(200).body();
    assertThat(listed.get("data").findValuesAsText("id")).contains(id);
    assertThat(listed.get("data").findValues("hmac_secret")).isEmpty();
    assertThat(listed.at("/extra/pagination/total_count").asLong()).isEqualTo(listed.get("data").size());
  }

  @Test
  void putReplacesTheSubscriptionAndKeepsItsSecret() {
    JsonNode created = api.post(t, list(), body("Replace me", List.of("job.run.started"), List.of(jobId)))
        .expect(201).data();
    String id = created.get("id").asText();
    // as the Terraform provider sends it: job ids as numbers, active left out to mean false
    Map<String, Object> replacement = new LinkedHashMap<>();
    replacement.put("id", id);
    replacement.put("name", "Replaced");
    replacement.put("client_url", "http://receiver.internal:8080/hook");
    replacement.put("event_types", List.of("job.run.completed", "job.run.completed"));
    replacement.put("job_ids", List.of());
    JsonNode updated = api.put(t, one(id), replacement).expect(200).data();
    assertThat(updated.get("id").asText()).isEqualTo(id);
    assertThat(updated.get("name").asText()).isEqualTo("Replaced");
    assertThat(updated.get("description").asText()).isEmpty();
    assertThat(updated.get("client_url").asText()).isEqualTo("http://receiver.internal:8080/hook");
    assertThat(updated.get("event_types")).extracting(JsonNode::asText).containsExactly("job.run.completed");
    assertThat(updated.get("job_ids")).isEmpty();
    assertThat(updated.get("active").asBoolean()).isFalse();
    assertThat(updated.has("hmac_secret")).isFalse();
    String stored = new WebhookSubscriptions(api.db(), Clock.systemUTC(), api.webhookSecrets()).find(t.id(), id)
        .orElseThrow().storedSecret();
    assertThat(TestSecrets.open(api.webhookSecrets(), stored)).isEqualTo(created.get("hmac_secret").asText());

    JsonNode deleted = api.delete(t, one(id)).expect(200).data();
    assertThat(deleted.get("id").asText()).isEqualTo(id);
    api.get(t, one(id)).expectError(404, id);
    api.delete(t, one(id)).expectError(404);
  }

  @Test
  void badBodiesAre400sThatNameTheField() {
    api.post(t, list(), "{\"name\": ").expectError(400, "not valid JSON");
    Map<String, Object> noName = body("x", List.of("job.run.started"), List.of());
    noName.remove("name");
    api.post(t, list(), noName).expectError(400, "'name'");
    for (String url : List.of("ftp://hooks.example.com/x", "hooks.example.com/dbt", "https://", "http://exa mple.com")) {
      Map<String, Object> b = body("x", List.of("job.run.started"), List.of());
      b.put("client_url", url);
      api.post(t, list(), b).expectError(400, "'client_url'");
    }
    api.post(t, list(), body("x", List.of(), List.of())).expectError(400, "'event_types'", "at least one");
    api.post(t, list(), body("x", List.of("job.run.finished"), List.of()))
        .expectError(400, "'event_types'", "job.run.finished", "job.run.completed");
    api.post(t, list(), body("x", "job.run.started", List.of())).expectError(400, "'event_types'");
    api.post(t, list(), body("x", List.of("job.run.started"), List.of(999_999_999)))
        .expectError(400, "'job_ids'", "999999999");
    api.post(t, list(), body("x", List.of("job.run.started"), List.of("nightly"))).expectError(400, "'job_ids'");
    api.post(t, list(), body("x", List.of("job.run.started"), 5)).expectError(400, "'job_ids'");
    // another account's job is unknown here
    api.post(t, list(), body("x", List.of("job.run.started"), List.of(strangersJobId)))
        .expectError(400, "'job_ids'", Long.toString(strangersJobId));
    Map<String, Object> badActive = body("x", List.of("job.run.started"), List.of());
    badActive.put("active", "yes");
    api.post(t, list(), badActive).expectError(400, "'active'");
    // numeric strings are job ids too, as dbt Cloud shows them
    api.post(t, list(), body("x", List.of("job.run.started"), List.of(Long.toString(jobId)))).expect(201);
    api.get(t, one("12")).expectError(404);
  }

  @Test
  void anotherAccountsSubscriptionIsNotFound() {
    String id = api.post(t, list(), body("Private", List.of("job.run.started"), List.of())).expect(201)
        .data().get("id").asText();
    String theirs = stranger.v3() + "/webhooks/subscription/" + id;
    api.get(stranger, theirs).expectError(404, id);
    api.put(stranger, theirs, body("Hijacked", List.of("job.run.started"), List.of())).expectError(404);
    api.delete(stranger, theirs).expectError(404);
    api.get(stranger, theirs + "/deliveries").expectError(404);
    assertThat(api.get(stranger, stranger.v3() + "/webhooks/subscriptions").expect(200).data()
        .findValuesAsText("id")).doesNotContain(id);
    // and through this account's path with the stranger's token: the account itself is not theirs
    api.get(stranger, one(id)).expectError(404);
    assertThat(api.get(t, one(id)).expect(200).data().get("name").asText()).isEqualTo("Private");
  }

  @Test
  void deliveryLogOfANewSubscriptionIsAnEmptyPage() {
    String id = api.post(t, list(), body("Quiet", List.of("job.run.started"), List.of())).expect(201)
        .data().get("id").asText();
    JsonNode log = api.get(t, one(id) + "/deliveries?limit=5").expect(200).body();
    assertThat(log.get("data")).isEmpty();
    assertThat(log.at("/extra/pagination/total_count").asInt()).isZero();
    assertThat(log.at("/extra/filters/limit").asInt()).isEqualTo(5);
    api.get(t, one(id) + "/deliveries?limit=500").expectError(400, "'limit'");
  }

  @Test
  void writesAreAuditedWithTheSubscription() {
    String id = api.post(t, list(), body("Audited", List.of("job.run.started"), List.of())).expect(201)
        .data().get("id").asText();
    long internalId = new WebhookSubscriptions(api.db(), Clock.systemUTC(), api.webhookSecrets()).find(t.id(), id)
        .orElseThrow().id();
    api.put(t, one(id), body("Audited again", List.of("job.run.started"), List.of())).expect(200);
    api.delete(t, one(id)).expect(200);
    api.post(t, list(), Map.of("name", "refused")).expect(400);
    List<AuditLog.Entry> entries = new AuditLog(api.db()).recent(t.id(), 50);
    assertThat(entries).anySatisfy(e -> {
      assertThat(e.method()).isEqualTo("POST");
      assertThat(e.path()).isEqualTo(list());
      assertThat(e.statusCode()).isEqualTo(400);
    });
    List<AuditLog.Entry> ofThisOne = entries.stream()
        .filter(e -> "WebhookSubscription".equals(e.objectKind()) && e.objectId() == internalId)
        .toList();
    assertThat(ofThisOne).extracting(e -> e.method() + " " + e.path() + " " + e.statusCode())
        .containsExactlyInAnyOrder("POST " + list() + " 201", "PUT " + one(id) + " 200", "DELETE " + one(id) + " 200");
  }
}
