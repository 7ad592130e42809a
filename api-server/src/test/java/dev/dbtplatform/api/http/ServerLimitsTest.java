package dev.dbtplatform.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbtplatform.api.ApiTestHarness;
import dev.dbtplatform.api.ApiTestHarness.Tenant;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Rate limiting per token, and request metrics by route and status. */
class ServerLimitsTest {
  static final ApiTestHarness api = ApiTestHarness.shared();
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static ApiServer server;
  static Tenant a;
  static Tenant b;

  @BeforeAll
  static void start() {
    a = api.newAccount("Limited A");
    b = api.newAccount("Limited B");
    // one request a second after a burst of three: slow enough that the test cannot refill it
    server = ApiServer.start(ApiServerSettings.plain("127.0.0.1", 0).withRateLimit(0.05, 3),
        new ApiServices(api.db(), api.kubernetes(), null, Clock.systemUTC()));
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  static HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET();
    if (token != null) {
      r.header("Authorization", "Token " + token);
    }
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aTokenOverItsRateGets429WithRetryAfterWhileOtherTokensGoOn() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(get("/api/v2/accounts/" + a.id() + "/", a.token()).statusCode()).isEqualTo(200);
    }
    HttpResponse<String> limited = get("/api/v2/accounts/" + a.id() + "/", a.token());
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
    JsonNode body = JSON.readTree(limited.body());
    assertThat(body.at("/status/code").asInt()).isEqualTo(429);
    assertThat(body.at("/status/is_success").asBoolean()).isFalse();
    assertThat(body.at("/status/user_message").asText()).contains("Too many requests");
    assertThat(get("/api/v2/accounts/" + b.id() + "/", b.token()).statusCode()).isEqualTo(200);

    String metrics = get("/metrics", null).body();
    assertThat(metrics).contains("dbt_platform_api_rate_limited_total");
    assertThat(metrics).containsPattern("dbt_platform_api_requests_seconds_count\\{method=\"GET\","
        + "route=\"/api/v2/accounts/\\{account_id}\",status=\"429\"} [1-9]");
  }

  @Test
  void metricsNameRouteTemplatesNeverConcretePaths() throws Exception {
    get("/api/v2/accounts/" + b.id() + "/runs/123456/", b.token());
    get("/api/v2/no/such/route", b.token());
    get("/api/v2/accounts/", null);
    String metrics = get("/metrics", null).body();
    assertThat(metrics).contains("route=\"/api/v2/accounts/{account_id}/runs/{run_id}\",status=\"404\"");
    assertThat(metrics).contains("route=\"/api/v2/accounts\",status=\"401\"");
    assertThat(metrics).contains("route=\"none\",status=\"404\"");
    assertThat(metrics).doesNotContain("123456");
  }
}
