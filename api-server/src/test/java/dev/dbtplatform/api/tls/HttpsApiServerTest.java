package dev.dbtplatform.api.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbtplatform.api.db.Account;
import dev.dbtplatform.api.db.AccountRepository;
import dev.dbtplatform.api.db.Database;
import dev.dbtplatform.api.db.TokenRepository;
import dev.dbtplatform.api.http.ApiServer;
import dev.dbtplatform.api.http.ApiServerSettings;
import dev.dbtplatform.api.http.ApiServices;
import dev.dbtplatform.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The API over HTTPS with a certificate from the local CA, as clients meet it: Java's HttpClient
 * and Python's requests (what the Airflow provider, prefect-dbt and dbt-cloud-cli use), each
 * trusting ca.crt and nothing else, and each refusing the server when they do not trust it.
 */
class HttpsApiServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** What requests prints: the status and the account listed, or the kind of failure. */
  private static final String REQUESTS_GET = String.join("\n",
      "import os, sys, requests",
      "try:",
      "    r = requests.get(sys.argv[1], headers={'Authorization': 'Token ' + os.environ['API_TOKEN']}, timeout=30)",
      "    print(r.status_code, r.json()['data'][0]['id'])",
      "except requests.exceptions.SSLError as e:",
      "    print('SSLError', e)");
  /** The standard library with OpenSSL's strict checks, the default of Python 3.13 and of urllib3 there. */
  private static final String STRICT_URLOPEN = String.join("\n",
      "import os, ssl, sys, urllib.request",
      "context = ssl.create_default_context(cafile=os.environ['CA_FILE'])",
      "context.verify_flags |= ssl.VERIFY_X509_STRICT",
      "with urllib.request.urlopen(sys.argv[1], context=context, timeout=30) as r:",
      "    print(r.status)");
  private static final List<String> TRUST_AND_PROXY_VARIABLES = List.of("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE",
      "SSL_CERT_FILE", "SSL_CERT_DIR", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy");

  @TempDir
  static Path tlsDir;
  static EmbeddedPostgres postgres;
  static ApiServer server;
  static Account account;
  static String token;
  static LocalTls tls;
  static HttpClient trustingCa;

  @BeforeAll
  static void start() {
    postgres = EmbeddedPostgres.start();
    postgres.createDatabase("api", "api", "api-password");
    Database db = Database.open(postgres.jdbcUrl("api"), "api", "api-password");
    account = new AccountRepository(db).create("Secure");
    token = new TokenRepository(db).create(account.id(), "https").plainToken();
    tls = LocalCertificateAuthority.create(tlsDir.resolve("ca"), List.of("localhost"), List.of("127.0.0.1"));
    server = ApiServer.start(ApiServerSettings.plain("127.0.0.1", 0).withTls(tls.server()),
        new ApiServices(db, null, null, Clock.systemUTC()));
    trustingCa = HttpClient.newBuilder().sslContext(CaTrust.sslContext(tls.caCertificate()))
        .connectTimeout(Duration.ofSeconds(10)).build();
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

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "localhost"})
  void aClientTrustingTheCaGetsTheApiByAddressAndByName(String host) throws Exception {
    HttpResponse<String> root = get(trustingCa, "https://" + host + ":" + server.port() + "/");
    assertThat(root.statusCode()).isEqualTo(200);
    assertThat(root.sslSession()).hasValueSatisfying(s -> assertThat(s.getProtocol()).isIn("TLSv1.3", "TLSv1.2"));

    HttpResponse<String> accounts = get(trustingCa, "https://" + host + ":" + server.port() + "/api/v2/accounts/");
    assertThat(accounts.statusCode()).isEqualTo(200);
    JsonNode data = JSON.readTree(accounts.body()).get("data");
    assertThat(data).hasSize(1);
    assertThat(data.get(0).get("id").asLong()).isEqualTo(account.id());
  }

  @Test
  void aClientThatDoesNotTrustTheCaIsRefusedInTheHandshake() {
    assertThatThrownBy(() -> get(HttpClient.newHttpClient(), "https://127.0.0.1:" + server.port() + "/"))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void plainHttpToTheHttpsPortGetsNoAnswer() {
    assertThatThrownBy(() -> get(HttpClient.newHttpClient(), "http://127.0.0.1:" + server.port() + "/api/v2/accounts/"))
        .isInstanceOf(IOException.class);
  }

  @Test
  void theClientChecksTheServersNameAgainstTheCertificate() throws Exception {
    LocalTls nameOnly = LocalCertificateAuthority.create(tlsDir.resolve("name-only"), List.of("localhost"), List.of());
    Database db = Database.open(postgres.jdbcUrl("api"), "api", "api-password");
    try (ApiServer other = ApiServer.start(ApiServerSettings.plain("127.0.0.1", 0).withTls(nameOnly.server()),
        new ApiServices(db, null, null, Clock.systemUTC()))) {
      HttpClient client = HttpClient.newBuilder().sslContext(CaTrust.sslContext(nameOnly.caCertificate())).build();

      assertThat(get(client, "https://localhost:" + other.port() + "/").statusCode()).isEqualTo(200);
      assertThatThrownBy(() -> get(client, "https://127.0.0.1:" + other.port() + "/"))
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessageContaining("127.0.0.1");
    }
  }

  @Test
  void pythonRequestsTrustsTheServerThroughRequestsCaBundleAndOnlyThen() throws Exception {
    Path python = projectPython();
    String url = "https://127.0.0.1:" + server.port() + "/api/v2/accounts/";

    assertThat(runPython(python, REQUESTS_GET, url, Map.of("REQUESTS_CA_BUNDLE", tls.caCertificate().toString())))
        .isEqualTo("200 " + account.id());
    assertThat(runPython(python, REQUESTS_GET, url.replace("127.0.0.1", "localhost"),
        Map.of("REQUESTS_CA_BUNDLE", tls.caCertificate().toString()))).isEqualTo("200 " + account.id());
    assertThat(runPython(python, REQUESTS_GET, url, Map.of())).startsWith("SSLError").contains("CERTIFICATE_VERIFY_FAILED");
  }

  @Test
  void pythonsStrictCertificateChecksAcceptTheLocalCa() throws Exception {
    String url = "https://localhost:" + server.port() + "/";

    assertThat(runPython(projectPython(), STRICT_URLOPEN, url, Map.of("CA_FILE", tls.caCertificate().toString())))
        .isEqualTo("200");
  }

  private static HttpResponse<String> get(HttpClient client, String url) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Token " + token)
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The project's virtual environment (make venv), which has requests because dbt needs it. */
  private static Path projectPython() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path python = dir.resolve(".venv/bin/python");
      if (Files.isExecutable(python)) {
        return python;
      }
    }
    Assumptions.abort("no .venv/bin/python above " + Path.of("").toAbsolutePath()
        + ": run `make venv` to check the API with Python's requests");
    return null;
  }

  /** Runs a script with the token and the given variables, and none of the user's trust or proxy settings. */
  private static String runPython(Path python, String script, String url, Map<String, String> env) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(python.toString(), "-c", script, url).redirectErrorStream(true);
    TRUST_AND_PROXY_VARIABLES.forEach(builder.environment()::remove);
    builder.environment().put("NO_PROXY", "*");
    builder.environment().put("API_TOKEN", token);
    builder.environment().putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return output;
  }
}
