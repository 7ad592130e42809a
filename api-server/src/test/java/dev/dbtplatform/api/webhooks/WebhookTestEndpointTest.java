package dev.dbtplatform.api.webhooks;

import static dev.dbtplatform.api.db.generated.Tables.WEBHOOK_SUBSCRIPTIONS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbtplatform.api.ApiTestHarness;
import dev.dbtplatform.api.ApiTestHarness.Tenant;
import dev.dbtplatform.api.db.AuditLog;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * dbt Cloud's "test a webhook" ({@code .../webhooks/subscription/{id}/test}): one signed delivery
 * sent while the client waits, its answer in {@code verification_status_code} and
 * {@code verification_error}, logged with the subscription's deliveries.
 */
class WebhookTestEndpointTest {
  static final ApiTestHarness api = ApiTestHarness.shared();
  static final ObjectMapper JSON = new ObjectMapper();
  static TestReceiver receiver;
  static Tenant t;
  static Tenant stranger;

  @BeforeAll
  static void setUp() {
    receiver = new TestReceiver();
    t = api.newAccount("Webhook tests");
    stranger = api.newAccount("Webhook tests, stranger");
  }

  @AfterAll
  static void stop() {
    receiver.close();
  }

  static JsonNode subscribe(Tenant as, String clientUrl, boolean active) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", "tested " + clientUrl);
    body.put("client_url", clientUrl);
    body.put("event_types", List.of("job.run.completed"));
    body.put("active", active);
    return api.post(as, as.v3() + "/webhooks/subscriptions", body).expect(201).data();
  }

  static String test(Tenant as, JsonNode subscription) {
    return as.v3() + "/webhooks/subscription/" + subscription.get("id").asText() + "/test";
  }

  static JsonNode log(JsonNode subscription) {
    return api.get(t, t.v3() + "/webhooks/subscription/" + subscription.get("id").asText() + "/deliveries")
        .expect(200).body();
  }

  @Test
  void sendsOneSignedTestDeliveryAndAnswersWhatTheReceiverSaid() throws Exception {
    JsonNode sub = subscribe(t, receiver.url("/tested"), true);
    JsonNode data = api.post(t, test(t, sub), Map.of()).expect(200).data();
    assertThat(data.get("webhook_id").asText()).isEqualTo(sub.get("id").asText());
    assertThat(data.get("verification_error").isNull()).isTrue();
    assertThat(data.get("verification_status_code").isTextual()).isTrue();
    assertThat(data.get("verification_status_code").asText()).isEqualTo("200");

    List<TestReceiver.Received> got = receiver.received("/tested");
    assertThat(got).hasSize(1); // synchronous: there by the time the answer is
    TestReceiver.Received r = got.get(0);
    assertThat(r.authorization())
        .isEqualTo(WebhookDeliveryTest.hmacHex(sub.get("hmac_secret").asText(), r.body()));
    JsonNode payload = JSON.readTree(r.body());
    assertThat(payload.get("eventType").asText()).isEqualTo("webhook.test");
    assertThat(payload.get("webhooksID").asText()).isEqualTo(sub.get("id").asText());
    assertThat(payload.get("eventId").asText()).startsWith("wev_");
    assertThat(payload.get("accountId").asLong()).isEqualTo(t.id());
    assertThat(payload.at("/data/test").asBoolean()).isTrue();

    // logged like every delivery, with no run, and shown as the subscription's latest answer
    JsonNode entry = log(sub).at("/data/0");
    assertThat(entry.get("event_type").asText()).isEqualTo("webhook.test");
    assertThat(entry.get("event_id").asText()).isEqualTo(payload.get("eventId").asText());
    assertThat(entry.get("run_id").isNull()).isTrue();
    assertThat(entry.get("status").asText()).isEqualTo("delivered");
    assertThat(entry.get("attempts").asInt()).isEqualTo(1);
    assertThat(entry.get("next_attempt_at").isNull()).isTrue();
    assertThat(entry.get("request_body").asText()).isEqualTo(r.text());
    JsonNode shown = api.get(t, t.v3() + "/webhooks/subscription/" + sub.get("id").asText()).expect(200).data();
    assertThat(shown.get("http_status_code").asText()).isEqualTo("200");

    // as dbt Cloud documents it, with GET; each test is a delivery of its own
    assertThat(api.get(t, test(t, sub) + "/").expect(200).data().get("verification_status_code").asText())
        .isEqualTo("200");
    assertThat(receiver.received("/tested")).hasSize(2);
    assertThat(log(sub).at("/extra/pagination/total_count").asInt()).isEqualTo(2);
    // the POST is a write in the audit log
    assertThat(new AuditLog(api.db()).recent(t.id(), 100)).anySatisfy(e -> {
      assertThat(e.method()).isEqualTo("POST");
      assertThat(e.path()).isEqualTo(test(t, sub));
      assertThat(e.statusCode()).isEqualTo(200);
    });
  }

  @Test
  void aReceiverThatFailsTheTestIsReportedNotRetried() {
    JsonNode sub = subscribe(t, receiver.url("/failing-test"), false); // inactive ones can be tested too
    receiver.answer("/failing-test", 503);
    JsonNode data = api.post(t, test(t, sub), null).expect(200).data();
    assertThat(data.get("verification_status_code").asText()).isEqualTo("503");
    assertThat(data.get("verification_error").asText()).isEqualTo("the receiver answered HTTP 503");
    JsonNode entry = log(sub).at("/data/0");
    assertThat(entry.get("status").asText()).isEqualTo("failed");
    assertThat(entry.get("next_attempt_at").isNull()).isTrue();
    assertThat(entry.get("last_status_code").asInt()).isEqualTo(503);
  }

  @Test
  void noAnswerIsAnErrorWithoutAStatusCode() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    JsonNode sub = subscribe(t, "http://127.0.0.1:" + closedPort + "/nobody", true);
    JsonNode data = api.post(t, test(t, sub), null).expect(200).data();
    assertThat(data.get("verification_status_code").isNull()).isTrue();
    assertThat(data.get("verification_error").asText()).isNotBlank();
    assertThat(log(sub).at("/data/0/attempt_log/0/error").asText()).isEqualTo(data.get("verification_error").asText());
  }

  @Test
  void aSecretThisServerCannotOpenIsReportedAsTheError() {
    JsonNode sub = subscribe(t, receiver.url("/unsignable"), true);
    byte[] otherKey = new byte[32];
    otherKey[5] = 9;
    api.db().dsl().update(WEBHOOK_SUBSCRIPTIONS)
        .set(WEBHOOK_SUBSCRIPTIONS.HMAC_SECRET, WebhookSecrets.withKey(otherKey).seal(sub.get("hmac_secret").asText()))
        .where(WEBHOOK_SUBSCRIPTIONS.PUBLIC_ID.eq(sub.get("id").asText())).execute();
    JsonNode data = api.post(t, test(t, sub), null).expect(200).data();
    assertThat(data.get("verification_status_code").isNull()).isTrue();
    assertThat(data.get("verification_error").asText()).contains("DBT_PLATFORM_SECRET_KEY");
    assertThat(receiver.received("/unsignable")).isEmpty();
    assertThat(log(sub).at("/data/0/status").asText()).isEqualTo("failed");
  }

  @Test
  void anotherAccountsOrAnUnknownSubscriptionIs404() {
    JsonNode theirs = subscribe(stranger, receiver.url("/theirs"), true);
    String id = theirs.get("id").asText();
    api.post(t, t.v3() + "/webhooks/subscription/" + id + "/test", null).expectError(404, id);
    api.get(t, t.v3() + "/webhooks/subscription/" + id + "/test").expectError(404, id);
    api.post(t, t.v3() + "/webhooks/subscription/wsu_doesnotexist00000000/test", null)
        .expectError(404, "wsu_doesnotexist00000000");
    api.post(t, t.v3() + "/webhooks/subscription/nonsense/test", null).expectError(404);
    assertThat(receiver.received("/theirs")).isEmpty();
  }

  @Test
  void aReceiverSlowerThanTheTimeoutFailsTheTestInTime() {
    JsonNode created = subscribe(t, receiver.url("/slow-test"), true);
    receiver.delay("/slow-test", Duration.ofSeconds(3));
    WebhookSubscription sub = new WebhookSubscriptions(api.db(), Clock.systemUTC(), api.webhookSecrets())
        .find(t.id(), created.get("id").asText()).orElseThrow();
    WebhookTester tester = new WebhookTester(api.db(),
        WebhookDeliverySettings.defaults().withTimeout(Duration.ofMillis(300)), api.webhookSecrets(),
        new WebhookMetrics(api.registry()), Clock.systemUTC());
    long started = System.nanoTime();
    WebhookTester.Result result = tester.test(sub);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    assertThat(result.statusCode()).isNull();
    assertThat(result.error()).isEqualTo("no answer within 300 ms");
    receiver.delay("/slow-test", Duration.ZERO);
  }
}
