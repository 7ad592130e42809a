package dev.dbtplatform.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbtplatform.api.ApiTestHarness.Tenant;
import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.crd.DbtDevelopSession;
import dev.dbtplatform.crd.DbtDevelopSessionStatus;
import dev.dbtplatform.crd.DevelopPhase;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The way through to a session's develop runtime. The test plays the operator (the session's
 * status, its pod with an IP and an "http" port, its token Secret) and the runtime, a local
 * HTTP server that requires the session's token.
 */
class DevelopProxyTest {
  static final String TOKEN = "runtime-token-of-the-session";
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static ApiTestHarness api;
  static FakeDevelopRuntime runtime;
  static Tenant account;
  static Tenant alice;
  static Tenant bob;
  static long development;

  @BeforeAll
  static void start() {
    api = ApiTestHarness.shared();
    runtime = new FakeDevelopRuntime(TOKEN);
    account = api.newAccount("Develop proxy");
    alice = api.newUser(account, "alice");
    bob = api.newUser(account, "bob");
    long project = api.createProject(account, "Shop").get("id").asLong();
    development = api.createDevelopmentEnvironment(account, project, "Shop dev");
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  /** A session of alice's that the "operator" has brought to the given phase, with its pod and token. */
  static Session session(DevelopPhase phase, String message) {
    JsonNode json = api.createDevelopSession(alice, development);
    Session s = new Session(json.get("id").asLong(), json.get("name").asText());
    String ns = account.namespace();
    api.kubernetes().resource(new SecretBuilder().withNewMetadata().withName("develop-" + s.name + "-token")
        .withNamespace(ns).endMetadata()
        .addToData("token", Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8))).build()).create();
    DbtDevelopSession cr = api.kubernetes().resources(DbtDevelopSession.class).inNamespace(ns).withName(s.name).get();
    Pod pod = api.kubernetes().resource(new PodBuilder().withNewMetadata().withName("develop-" + s.name)
        .withNamespace(ns).addToOwnerReferences(ownedBy(cr)).endMetadata()
        .withNewSpec().addNewContainer().withName("develop").withImage("develop")
          .addNewPort().withName("metrics").withContainerPort(9).endPort()
          .addNewPort().withName("http").withContainerPort(runtime.port()).endPort()
        .endContainer().endSpec().build()).create();
    pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running").withPodIP("127.0.0.1").build());
    api.kubernetes().resource(pod).updateStatus();
    setPhase(s, phase, message);
    return s;
  }

  static OwnerReference ownedBy(DbtDevelopSession session) {
    return new OwnerReferenceBuilder().withApiVersion(session.getApiVersion()).withKind(session.getKind())
        .withName(session.getMetadata().getName()).withUid(session.getMetadata().getUid()).withController(true).build();
  }

  record Session(long id, String name) {
    String ide() {
      return alice.v3() + "/develop/sessions/" + id + "/ide";
    }
  }

  static void setPhase(Session s, DevelopPhase phase, String message) {
    api.kubernetes().resources(DbtDevelopSession.class).inNamespace(account.namespace()).withName(s.name)
        .editStatus(cr -> {
          DbtDevelopSessionStatus status = cr.getStatus() == null ? new DbtDevelopSessionStatus() : cr.getStatus();
          status.phase = phase;
          status.message = message;
          status.tokenSecret = "develop-" + s.name + "-token";
          status.podName = phase == DevelopPhase.Ready ? "develop-" + s.name : null;
          if (phase == DevelopPhase.Stopped) {
            status.stoppedAt = Instant.now().toString();
          }
          cr.setStatus(status);
          return cr;
        });
  }

  static String annotation(Session s, String key) {
    Map<String, String> annotations = api.kubernetes().resources(DbtDevelopSession.class)
        .inNamespace(account.namespace()).withName(s.name).get().getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }

  static HttpResponse<String> send(Tenant as, String method, String path, String contentType, byte[] body,
                                   String... headers) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Authorization", "Bearer " + as.token());
    if (contentType != null) {
      r.header("Content-Type", contentType);
    }
    if (headers.length > 0) {
      r.headers(headers);
    }
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String contentType(HttpResponse<?> r) {
    return r.headers().firstValue("Content-Type").orElse("").replace(" ", "");
  }

  static JsonNode envelope(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  @Test
  void forwardsMethodPathQueryBodyAndChosenHeadersWithTheSessionsOwnToken() throws Exception {
    Session s = session(DevelopPhase.Ready, "ready");
    HttpResponse<String> r = send(alice, "PUT", s.ide() + "/files/models/my%20model.sql?force=true&x=%2F",
        "text/plain", "select 1 as id".getBytes(StandardCharsets.UTF_8),
        "Accept", "text/plain", "Cookie", "session=secret", "X-Forwarded-For", "10.0.0.1", "If-Match", "\"v0\"");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("PUT /files/models/my%20model.sql?force=true&x=%2F 14");
    assertThat(contentType(r)).isEqualTo("text/plain;charset=utf-8"); // Jetty drops the space
    assertThat(r.headers().firstValue("ETag")).hasValue("\"v1\"");
    assertThat(r.headers().firstValue("X-Runtime-Internal")).isEmpty();

    FakeDevelopRuntime.Received got = runtime.last();
    assertThat(got.method()).isEqualTo("PUT");
    assertThat(got.path()).isEqualTo("/files/models/my%20model.sql");
    assertThat(got.query()).isEqualTo("force=true&x=%2F");
    assertThat(got.body()).isEqualTo("select 1 as id");
    assertThat(got.header("Content-Type")).isEqualTo("text/plain");
    assertThat(got.header("Accept")).isEqualTo("text/plain");
    assertThat(got.header("If-Match")).isEqualTo("\"v0\"");
    assertThat(got.header("Authorization")).isEqualTo("Bearer " + TOKEN).doesNotContain(alice.token());
    assertThat(got.header("Cookie")).isNull();
    assertThat(got.header("X-Forwarded-For")).isNull();

    // every method, the runtime's root, and its own errors passed on as they are, not in the API's envelope
    assertThat(send(alice, "DELETE", s.ide() + "/files/old.sql", null, null).body()).isEqualTo("DELETE /files/old.sql 0");
    assertThat(send(alice, "PATCH", s.ide() + "/files/a.sql", "application/json", "{}".getBytes()).body())
        .isEqualTo("PATCH /files/a.sql 2");
    assertThat(send(alice, "GET", s.ide() + "/", null, null).body()).isEqualTo("GET / 0");
    assertThat(send(alice, "GET", s.ide(), null, null).body()).isEqualTo("GET / 0");
    HttpResponse<String> missing = send(alice, "GET", s.ide() + "/files/nope.sql?status=404", null, null);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).isEqualTo("GET /files/nope.sql?status=404 0");
    HttpResponse<String> conflict = send(alice, "POST", s.ide() + "/git/commit?status=409", "application/json",
        "{\"message\":\"x\"}".getBytes());
    assertThat(conflict.statusCode()).isEqualTo(409);
    assertThat(conflict.body()).startsWith("POST /git/commit");
  }

  @Test
  void streamsAChunkedAnswerWhileTheRuntimeIsStillWritingIt() throws Exception {
    Session s = session(DevelopPhase.Ready, "ready");
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + s.ide() + "/dbt/stream"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"command\":\"build\"}"))
        .header("Authorization", "Token " + alice.token())
        .header("Content-Type", "application/json")
        .build();
    HttpResponse<InputStream> r = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(contentType(r)).isEqualTo("text/plain;charset=utf-8"); // Jetty drops the space
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      // the runtime holds "line 2" back until released: "line 1" can only be here if it was passed on at once
      CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> readLine(lines));
      assertThat(first.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("line 1");
      runtime.release();
      assertThat(lines.readLine()).isEqualTo("line 2");
      assertThat(lines.readLine()).isNull();
    }
    assertThat(runtime.last().body()).isEqualTo("{\"command\":\"build\"}");
  }

  private static String readLine(BufferedReader reader) {
    try {
      return reader.readLine();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void dbtCommandsAndPreviewsCountAsActivityFilesDoNotAndWritesAreThrottled() throws Exception {
    Session s = session(DevelopPhase.Ready, "ready");
    assertThat(send(alice, "GET", s.ide() + "/files/models/orders.sql", null, null).statusCode()).isEqualTo(200);
    assertThat(send(alice, "PUT", s.ide() + "/files/models/orders.sql", "text/plain", "select 2".getBytes()).statusCode())
        .isEqualTo(200);
    assertThat(send(alice, "GET", s.ide() + "/git/status", null, null).statusCode()).isEqualTo(200);
    assertThat(annotation(s, ApiGroup.LAST_ACTIVITY_ANNOTATION)).isNull();

    Instant before = Instant.now().minusMillis(1);
    assertThat(send(alice, "POST", s.ide() + "/dbt/compile", "application/json", "{}".getBytes()).statusCode())
        .isEqualTo(200);
    String first = annotation(s, ApiGroup.LAST_ACTIVITY_ANNOTATION);
    assertThat(first).isNotNull();
    assertThat(Instant.parse(first)).isBetween(before, Instant.now());
    // within 30 s of the last write, this API process does not write again
    Thread.sleep(20);
    assertThat(send(alice, "POST", s.ide() + "/preview", "application/json", "{}".getBytes()).statusCode()).isEqualTo(200);
    assertThat(send(alice, "POST", s.ide() + "/dbt/run", "application/json", "{}".getBytes()).statusCode()).isEqualTo(200);
    assertThat(annotation(s, ApiGroup.LAST_ACTIVITY_ANNOTATION)).isEqualTo(first);

    Session previewing = session(DevelopPhase.Ready, "ready");
    assertThat(send(alice, "GET", previewing.ide() + "/preview/results?limit=500", null, null).statusCode()).isEqualTo(200);
    assertThat(annotation(previewing, ApiGroup.LAST_ACTIVITY_ANNOTATION)).isNotNull();
  }

  @Test
  void aStoppedSessionIsResumedByTheNextRequestWhichWaitsForIt() throws Exception {
    Session s = session(DevelopPhase.Stopped, "stopped after 3600s without dbt commands or previews");
    api.kubernetes().resources(DbtDevelopSession.class).inNamespace(account.namespace()).withName(s.name)
        .edit(cr -> {
          cr.getMetadata().setAnnotations(Map.of(ApiGroup.STOP_REQUESTED_ANNOTATION, Instant.now().toString()));
          return cr;
        });
    CompletableFuture<HttpResponse<String>> request = CompletableFuture.supplyAsync(() -> {
      try {
        return send(alice, "GET", s.ide() + "/files/models/orders.sql", null, null);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    // the request says the user is back, later than the stop; the operator would then start the pod
    await().atMost(Duration.ofSeconds(4)).until(() -> annotation(s, ApiGroup.LAST_ACTIVITY_ANNOTATION) != null);
    assertThat(Instant.parse(annotation(s, ApiGroup.LAST_ACTIVITY_ANNOTATION)))
        .isAfter(Instant.parse(annotation(s, ApiGroup.STOP_REQUESTED_ANNOTATION)));
    assertThat(request).isNotDone();
    setPhase(s, DevelopPhase.Starting, "waiting for pod to be ready");
    Thread.sleep(300);
    assertThat(request).isNotDone();
    setPhase(s, DevelopPhase.Ready, "ready");
    HttpResponse<String> r = request.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("GET /files/models/orders.sql 0");
  }

  @Test
  void aSessionThatDoesNotComeUpInTimeAnswers503WithRetryAfter() throws Exception {
    Session s = session(DevelopPhase.Starting, "waiting for pod develop-x to be ready");
    long started = System.nanoTime();
    HttpResponse<String> r = send(alice, "POST", s.ide() + "/dbt/compile", "application/json", "{}".getBytes());
    Duration waited = Duration.ofNanos(System.nanoTime() - started);
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
    JsonNode body = envelope(r);
    assertThat(body.at("/status/code").asInt()).isEqualTo(503);
    assertThat(body.at("/status/is_success").asBoolean()).isFalse();
    assertThat(body.at("/status/user_message").asText())
        .contains("Develop session " + s.id + " is starting")
        .contains("waiting for pod develop-x to be ready")
        .contains("retry in 5 s");
    assertThat(waited).isGreaterThanOrEqualTo(ApiTestHarness.RESUME_WAIT.minusMillis(100));
    // a pending session is kept alive while it waits
    assertThat(annotation(s, ApiGroup.LAST_ACTIVITY_ANNOTATION)).isNotNull();
  }

  @Test
  void aFailedSessionAnswers409WithWhatIsWrong() throws Exception {
    Session s = session(DevelopPhase.Failed,
        "DbtEnvironment 'shop-dev' is a deployment environment; develop sessions use a development environment");
    int before = runtime.received().size();
    HttpResponse<String> r = send(alice, "GET", s.ide() + "/files/", null, null);
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(envelope(r).at("/status/user_message").asText())
        .contains("Develop session " + s.id + " failed")
        .contains("is a deployment environment");
    assertThat(runtime.received()).hasSize(before);
  }

  @Test
  void onlyTheSessionsUserGetsThrough() throws Exception {
    Session s = session(DevelopPhase.Ready, "ready");
    int before = runtime.received().size();
    HttpResponse<String> theirs = send(bob, "POST", s.ide() + "/dbt/run", "application/json", "{}".getBytes());
    assertThat(theirs.statusCode()).isEqualTo(404);
    assertThat(envelope(theirs).at("/status/user_message").asText()).isEqualTo("Develop session " + s.id + " was not found.");
    HttpResponse<String> service = send(account, "GET", s.ide() + "/files/", null, null);
    assertThat(service.statusCode()).isEqualTo(403);
    assertThat(envelope(service).at("/status/user_message").asText()).contains("personal token");
    HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + api.port() + s.ide() + "/files/")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(runtime.received()).hasSize(before);
    assertThat(annotation(s, ApiGroup.LAST_ACTIVITY_ANNOTATION)).isNull();
  }

  @Test
  void bodiesUpTo6MiBGoThroughAndLargerOnesAre413() throws Exception {
    Session s = session(DevelopPhase.Ready, "ready");
    byte[] seed = new byte[5 * 1024 * 1024];
    java.util.Arrays.fill(seed, (byte) 'a');
    HttpResponse<String> r = send(alice, "PUT", s.ide() + "/files/seeds/big.csv", "text/csv", seed);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(runtime.last().body()).hasSize(seed.length);

    HttpResponse<String> tooLarge = send(alice, "PUT", s.ide() + "/files/seeds/huge.csv", "text/csv",
        new byte[6 * 1024 * 1024 + 1]);
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(envelope(tooLarge).at("/status/user_message").asText()).contains("larger than 6144 KiB");
    // the rest of the API keeps its 1 MiB
    HttpResponse<String> job = send(alice, "POST", alice.v2() + "/jobs/", "application/json", seed);
    assertThat(job.statusCode()).isEqualTo(413);
  }

  @Test
  void aRefusedCachedTokenIsReadAgainFromTheSecret() throws Exception {
    Session s = session(DevelopPhase.Ready, "ready");
    assertThat(send(alice, "GET", s.ide() + "/files/", null, null).statusCode()).isEqualTo(200);
    String renewed = "a-newer-token";
    try {
      api.kubernetes().secrets().inNamespace(account.namespace()).withName("develop-" + s.name + "-token")
          .edit(secret -> {
            secret.setData(Map.of("token", Base64.getEncoder().encodeToString(renewed.getBytes(StandardCharsets.UTF_8))));
            return secret;
          });
      runtime.requireToken(renewed);
      HttpResponse<String> r = send(alice, "GET", s.ide() + "/files/", null, null);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(runtime.last().header("Authorization")).isEqualTo("Bearer " + renewed);
    } finally {
      runtime.requireToken(TOKEN);
    }
  }

  @Test
  void aPodThatIsNotTheSessionsOwnNeverGetsItsToken() throws Exception {
    JsonNode json = api.createDevelopSession(alice, development);
    Session s = new Session(json.get("id").asLong(), json.get("name").asText());
    Pod stranger = api.kubernetes().resource(new PodBuilder().withNewMetadata().withName("develop-" + s.name)
        .withNamespace(account.namespace()).endMetadata()
        .withNewSpec().addNewContainer().withName("develop").withImage("develop")
          .addNewPort().withName("http").withContainerPort(runtime.port()).endPort()
        .endContainer().endSpec().build()).create();
    stranger.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPodIP("127.0.0.1").build());
    api.kubernetes().resource(stranger).updateStatus();
    setPhase(s, DevelopPhase.Ready, "ready");
    int before = runtime.received().size();
    HttpResponse<String> r = send(alice, "GET", s.ide() + "/files/", null, null);
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(runtime.received()).hasSize(before);
  }

  @Test
  void aReadySessionWithoutAPodAddressAnswers503() throws Exception {
    JsonNode json = api.createDevelopSession(alice, development);
    Session s = new Session(json.get("id").asLong(), json.get("name").asText());
    setPhase(s, DevelopPhase.Ready, "ready");
    HttpResponse<String> r = send(alice, "GET", s.ide() + "/files/", null, null);
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
    assertThat(envelope(r).at("/status/user_message").asText()).contains("its pod has no address yet");
  }
}
