package dev.dbtplatform.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbtplatform.api.db.Account;
import dev.dbtplatform.api.db.AccountRepository;
import dev.dbtplatform.api.db.Database;
import dev.dbtplatform.api.db.TokenRepository;
import dev.dbtplatform.api.http.ApiServer;
import dev.dbtplatform.api.http.ApiServices;
import dev.dbtplatform.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static EmbeddedPostgres postgres;
  private static ApiServer server;
  private static Account mine;
  private static Account other;
  private static String token;
  private static String otherToken;

  record Response(int status, JsonNode body, String raw) {}

  @BeforeAll
  static void start() {
    postgres = EmbeddedPostgres.start();
    postgres.createDatabase("api", "api", "api-password");
    Database db = Database.open(postgres.jdbcUrl("api"), "api", "api-password");
    AccountRepository accounts = new AccountRepository(db);
    TokenRepository tokens = new TokenRepository(db);
    mine = accounts.create("Mine");
    other = accounts.create("Other");
    token = tokens.create(mine.id(), "ci").plainToken();
    otherToken = tokens.create(other.id(), "ci").plainToken();
    server = ApiServer.start(0, new ApiServices(db, null, null, java.time.Clock.systemUTC()));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void rootAnswers200() throws Exception {
    Response r = get("/", null);
    assertThat(r.status()).isEqualTo(200);
    assertSuccess(r);
  }

  @Test
  void listsOnlyTheTokensAccountInTheEnvelope() throws Exception {
    Response r = get("/api/v2/accounts/", "Token " + token);
    assertThat(r.status()).isEqualTo(200);
    assertSuccess(r);
    assertThat(r.body().get("data")).hasSize(1);
    assertThat(r.body().get("data").get(0).get("id").asLong()).isEqualTo(mine.id());
    JsonNode pagination = r.body().get("extra").get("pagination");
    assertThat(pagination.get("count").asInt()).isEqualTo(1);
    assertThat(pagination.get("total_count").asInt()).isEqualTo(1);
    assertThat(r.body().get("extra").has("filters")).isTrue();
    assertThat(r.body().get("extra").has("order_by")).isTrue();
  }

  @Test
  void getsOwnAccountWithTheFieldsClientsRead() throws Exception {
    Response r = get("/api/v2/accounts/" + mine.id() + "/", "Token " + token);
    assertThat(r.status()).isEqualTo(200);
    assertSuccess(r);
    JsonNode a = r.body().get("data");
    assertThat(a.get("id").asLong()).isEqualTo(mine.id());
    assertThat(a.get("name").asText()).isEqualTo("Mine");
    assertThat(a.get("state").asInt()).isEqualTo(1);
    assertThat(a.get("plan").asText()).isEqualTo("enterprise");
    assertThat(a.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00");
    assertThat(a.get("updated_at").asText()).isNotBlank();
  }

  @Test
  void bearerSchemeWorksToo() throws Exception {
    Response r = get("/api/v2/accounts/" + mine.id(), "Bearer " + token);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().get("data").get("id").asLong()).isEqualTo(mine.id());
  }

  @Test
  void trailingSlashIsOptional() throws Exception {
    assertThat(get("/api/v2/accounts", "Token " + token).status()).isEqualTo(200);
    assertThat(get("/api/v2/accounts/", "Token " + token).status()).isEqualTo(200);
    assertThat(get("/api/v2/accounts/" + mine.id(), "Token " + token).status()).isEqualTo(200);
    assertThat(get("/api/v2/accounts/" + mine.id() + "/", "Token " + token).status()).isEqualTo(200);
  }

  @Test
  void missingTokenIs401InTheEnvelope() throws Exception {
    Response r = get("/api/v2/accounts/", null);
    assertError(r, 401);
    assertThat(r.body().at("/status/user_message").asText()).contains("Authorization: Token");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Token dbtp_not-a-real-token", "Bearer nope", "Token ", "Basic dXNlcjpwYXNz", "Token"})
  void invalidTokenIs401InTheEnvelope(String header) throws Exception {
    Response r = get("/api/v2/accounts/" + mine.id() + "/", header);
    assertError(r, 401);
    assertThat(r.raw()).doesNotContain("dbtp_not-a-real-token");
  }

  @Test
  void anotherAccountIs404ExactlyLikeAMissingOne() throws Exception {
    long missing = other.id() + 1000;
    Response theirs = get("/api/v2/accounts/" + other.id() + "/", "Token " + token);
    Response none = get("/api/v2/accounts/" + missing + "/", "Token " + token);
    assertError(theirs, 404);
    assertError(none, 404);
    assertThat(theirs.raw().replace(String.valueOf(other.id()), "ID"))
        .isEqualTo(none.raw().replace(String.valueOf(missing), "ID"));
    assertThat(theirs.raw()).doesNotContain("Other");

    // and the other account's token sees its own, not mine
    assertThat(get("/api/v2/accounts/" + other.id(), "Token " + otherToken).status()).isEqualTo(200);
    assertError(get("/api/v2/accounts/" + mine.id(), "Token " + otherToken), 404);
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "1.5", "-1", "99999999999999999999999", "%20"})
  void malformedIdIs400InTheEnvelope(String id) throws Exception {
    Response r = get("/api/v2/accounts/" + id + "/", "Token " + token);
    assertError(r, 400);
    assertThat(r.body().at("/status/user_message").asText()).contains("account id");
  }

  @Test
  void unknownRouteIs404InTheEnvelope() throws Exception {
    assertError(get("/api/v2/nothing-here/", "Token " + token), 404);
    assertError(get("/no/such/path", null), 404);
  }

  @Test
  void listensOnLoopbackOnAFreePort() {
    assertThat(server.port()).isPositive();
  }

  private static void assertSuccess(Response r) {
    JsonNode status = r.body().get("status");
    assertThat(status.get("code").asInt()).isEqualTo(200);
    assertThat(status.get("is_success").asBoolean()).isTrue();
    assertThat(status.get("user_message").asText()).isEqualTo("Success!");
    assertThat(status.get("developer_message").asText()).isEmpty();
    assertThat(r.body().has("data")).isTrue();
  }

  private static void assertError(Response r, int code) {
    assertThat(r.status()).as(r.raw()).isEqualTo(code);
    JsonNode status = r.body().get("status");
    assertThat(status.get("code").asInt()).isEqualTo(code);
    assertThat(status.get("is_success").asBoolean()).isFalse();
    assertThat(status.get("user_message").asText()).isNotBlank();
    assertThat(r.body().has("data")).isTrue();
    assertThat(r.raw()).doesNotContain(token).doesNotContain(otherToken);
  }

  private static Response get(String path, String authorization) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET();
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    HttpResponse<String> res = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(res.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
    return new Response(res.statusCode(), JSON.readTree(res.body()), res.body());
  }
}
