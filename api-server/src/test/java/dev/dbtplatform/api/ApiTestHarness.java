package dev.dbtplatform.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbtplatform.api.db.Account;
import dev.dbtplatform.api.db.AccountRepository;
import dev.dbtplatform.api.db.Database;
import dev.dbtplatform.api.db.TokenRepository;
import dev.dbtplatform.api.db.User;
import dev.dbtplatform.api.db.UserRepository;
import dev.dbtplatform.api.develop.DevelopSettings;
import dev.dbtplatform.api.http.ApiServer;
import dev.dbtplatform.api.http.ApiServerSettings;
import dev.dbtplatform.api.http.ApiServices;
import dev.dbtplatform.embedded.EmbeddedKubernetes;
import dev.dbtplatform.embedded.EmbeddedPostgres;
import dev.dbtplatform.api.history.RunHistoryRecorder;
import dev.dbtplatform.api.storage.RunFiles;
import dev.dbtplatform.api.storage.TestStore;
import dev.dbtplatform.api.webhooks.WebhookDeliverySettings;
import dev.dbtplatform.api.webhooks.WebhookSecrets;
import dev.dbtplatform.crd.DbtRun;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The API server as clients meet it, for contract tests: embedded PostgreSQL, the Kubernetes API
 * stand-in with the CRDs installed, and the server on a free port, started once per test JVM and
 * shared by every test class ({@link #shared()}). Two accounts come ready ({@link #mine()},
 * {@link #other()}); a class that counts what it lists makes its own with {@link #newAccount}.
 * Requests go over real HTTP and answer status, parsed body and raw text.
 */
public final class ApiTestHarness {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger ACCOUNTS = new AtomicInteger();
  /** How long a request waits for a develop session to resume, in these tests. */
  public static final Duration RESUME_WAIT = Duration.ofSeconds(5);
  static final DevelopSettings DEVELOP = DevelopSettings.defaults().withResumeWait(RESUME_WAIT);
  private static ApiTestHarness shared;

  /** An account with a namespace for its resources and a service token. */
  public record Tenant(Account account, String token) {
    public long id() {
      return account.id();
    }

    public String namespace() {
      return account.namespace();
    }

    /** The path prefix of the account's v2 or v3 endpoints, like {@code /api/v3/accounts/7}. */
    public String v2() {
      return "/api/v2/accounts/" + account.id();
    }

    public String v3() {
      return "/api/v3/accounts/" + account.id();
    }

    @Override
    public String toString() { // keep the token out of assertion messages
      return "Tenant[" + account + "]";
    }
  }

  /** An answer: the HTTP status, the parsed envelope and its raw text. */
  public record Response(int status, JsonNode body, String raw) {
    public JsonNode data() {
      return body.get("data");
    }

    /** The envelope's user_message. */
    public String message() {
      return body.at("/status/user_message").asText();
    }

    public long totalCount() {
      return body.at("/extra/pagination/total_count").asLong();
    }

    /**
     * Checks the status, and that the answer is in dbt Cloud's envelope with the same code (and a
     * message for errors); returns this for chaining.
     */
    public Response expect(int expected) {
      assertThat(status).as(raw).isEqualTo(expected);
      assertThat(body.at("/status/code").asInt()).as(raw).isEqualTo(expected);
      assertThat(body.at("/status/is_success").asBoolean()).as(raw).isEqualTo(expected < 400);
      assertThat(body.has("data")).as(raw).isTrue();
      if (expected >= 400) {
        assertThat(message()).as(raw).isNotBlank();
      }
      return this;
    }

    /** Checks an error status and that its message says what it should. */
    public Response expectError(int expected, String... messageParts) {
      expect(expected);
      if (messageParts.length > 0) {
        assertThat(message()).contains(messageParts);
      }
      return this;
    }
  }

  private final EmbeddedPostgres postgres;
  private final EmbeddedKubernetes kubernetes;
  private final PodOutput podOutput = new PodOutput();
  private final TestStore objectStore;
  private final RunFiles runFiles;
  private final RunHistoryRecorder recorder;
  private final Database db;
  private final ApiServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private final Tenant mine;
  private final Tenant other;
  private final WebhookSecrets webhookSecrets = WebhookSecrets.withKey(randomKey());
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  private ApiTestHarness() {
    postgres = EmbeddedPostgres.start();
    postgres.createDatabase("api", "api", "api-password");
    db = Database.open(postgres.jdbcUrl("api"), "api", "api-password");
    kubernetes = EmbeddedKubernetes.start(podOutput);
    objectStore = TestStore.start();
    runFiles = new RunFiles(objectStore.settings());
    // contract tests make far more requests per second than any client should
    ApiServerSettings settings = ApiServerSettings.plain(ApiServer.DEFAULT_HOST, 0).withRateLimit(100_000, 100_000);
    // webhook secrets sealed with a key, as in a configured cluster; metrics on the registry /metrics serves;
    // develop sessions that do not come up answer after a few seconds rather than the default minute
    ApiServices services = new ApiServices(db, kubernetes.newClient(), runFiles, Clock.systemUTC(),
        WebhookDeliverySettings.defaults(), webhookSecrets, registry, DEVELOP);
    server = ApiServer.start(settings, services);
    // tests hand runs to the recorder themselves (recordRun), so that what they assert is settled
    recorder = new RunHistoryRecorder(services.accounts(), services.ids(), services.runs());
    mine = newAccount("Mine");
    other = newAccount("Other");
  }

  /** The one harness of this JVM, started on first use and stopped when the JVM exits. */
  public static synchronized ApiTestHarness shared() {
    if (shared == null) {
      shared = new ApiTestHarness();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "api-test-harness-stop"));
    }
    return shared;
  }

  public Tenant mine() {
    return mine;
  }

  public Tenant other() {
    return other;
  }

  /** A fresh account (namespace {@code account-<id>}) with a token of its own. */
  public Tenant newAccount(String name) {
    Account account = new AccountRepository(db).create(name + " " + ACCOUNTS.incrementAndGet());
    return new Tenant(account, new TokenRepository(db).create(account.id(), "tests").plainToken());
  }

  /**
   * A user of the tenant's account with a personal token: the same account, acting as that
   * person (develop sessions are theirs).
   */
  public Tenant newUser(Tenant of, String username) {
    User user = new UserRepository(db).create(of.id(), username, username + "@example.com");
    return new Tenant(of.account(), new TokenRepository(db).createPersonal(user, "tests").plainToken());
  }

  /** A project made through the API, with a git URL; answers its JSON. */
  public JsonNode createProject(Tenant as, String name) {
    return post(as, as.v3() + "/projects/", Map.of("name", name, "git_url", "https://git.example.com/analytics.git"))
        .expect(201).data();
  }

  /** A deployment environment on postgres (Secret {@code warehouse}, dbt 1.7) made through the API. */
  public JsonNode createEnvironment(Tenant as, long projectId, String name) {
    return post(as, as.v3() + "/projects/" + projectId + "/environments/", Map.of("name", name, "type", "deployment",
        "dbt_version", "1.7.0-latest", "warehouse", Map.of("type", "postgres", "secret_name", "warehouse")))
        .expect(201).data();
  }

  /** A development environment on postgres (Secret {@code warehouse}), for develop sessions, made through the API. */
  public long createDevelopmentEnvironment(Tenant as, long projectId, String name) {
    return post(as, as.v3() + "/projects/" + projectId + "/environments/", Map.of("name", name,
        "type", "development", "dbt_version", "1.7.0-latest",
        "warehouse", Map.of("type", "postgres", "secret_name", "warehouse"))).expect(201).data().get("id").asLong();
  }

  /** A develop session of the personal token's user, made through the API; answers its JSON. */
  public JsonNode createDevelopSession(Tenant as, long environmentId) {
    return post(as, as.v3() + "/develop/sessions/", Map.of("environment_id", environmentId,
        "credentials_secret_name", "dev-credentials")).expect(201).data();
  }

  /** A job made through the API, without triggers; steps default to {@code dbt build}. */
  public JsonNode createJob(Tenant as, long environmentId, String name, String... steps) {
    return post(as, as.v2() + "/jobs/", Map.of("name", name, "environment_id", environmentId,
        "execute_steps", steps.length == 0 ? List.of("dbt build") : List.of(steps))).expect(201).data();
  }

    /** The Kubernetes API, as kubectl or a GitOps tool would use it. */
  public KubernetesClient kubernetes() {
    return kubernetes.client();
  }

  public Database db() {
    return db;
  }

  /** The key the server seals webhook signing secrets with: workers of tests need the same. */
  public WebhookSecrets webhookSecrets() {
    return webhookSecrets;
  }

  /** The meter registry {@code GET /metrics} serves. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  private static byte[] randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  /** What pods wrote: the Kubernetes API serves it as their logs. */
  public PodOutput podOutput() {
    return podOutput;
  }

  /** The S3 server run logs and artifacts are read from, with a client to put what a flush would. */
  public TestStore objectStore() {
    return objectStore;
  }

  /** Records a DbtRun as it is now in the cluster, as the recorder's informer would on a change. */
  public void recordRun(String namespace, String name) {
    recorder.record(kubernetes.client().resources(DbtRun.class).inNamespace(namespace).withName(name).get());
  }

  public int port() {
    return server.port();
  }

  public Response get(Tenant as, String path) {
    return send("GET", path, "Token " + as.token(), null);
  }

  /** A body that is not a String is sent as JSON; a String is sent as it is (to send broken JSON). */
  public Response post(Tenant as, String path, Object body) {
    return send("POST", path, "Token " + as.token(), body);
  }

  public Response put(Tenant as, String path, Object body) {
    return send("PUT", path, "Token " + as.token(), body);
  }

  public Response delete(Tenant as, String path) {
    return send("DELETE", path, "Token " + as.token(), null);
  }

  /** Any request, with the Authorization header as given (null for none). */
  public Response send(String method, String path, String authorization, Object body) {
    HttpRequest.BodyPublisher publisher = body == null
        ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : toJson(body));
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .method(method, publisher)
        .header("Content-Type", "application/json");
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      HttpResponse<String> res = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(res.statusCode(), parse(res.body()), res.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The envelope; raw artifacts (SQL, text) are no JSON and parse to a missing node. */
  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
  }

  private static String toJson(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write the request body as JSON", e);
    }
  }

  private void stop() {
    server.stop();
    runFiles.close();
    objectStore.close();
    kubernetes.close();
    postgres.close();
  }
}
