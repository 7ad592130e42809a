package dev.dbtplatform.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dbtplatform.contract.ObjectKeys;
import dev.dbtplatform.contract.StepMarkers;
import dev.dbtplatform.crd.DbtJob;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunSpec;
import dev.dbtplatform.crd.ObjectRef;
import dev.dbtplatform.crd.RunPhase;
import dev.dbtplatform.crd.RunStepStatus;
import dev.dbtplatform.api.tls.CaTrust;
import io.fabric8.kubernetes.api.model.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path in one-machine mode: apply the sample DbtRuns, the operator creates pods, the
 * local node runs the real run runtime with real dbt against the embedded PostgreSQL, cloning a
 * real git repository; the log flush uploads to a real S3 protocol server; the test reads the
 * artifacts back from S3.
 */
class LocalPlatformTest {
  @TempDir
  static Path state;
  static LocalPlatform platform;
  static RunArtifacts artifacts;

  @BeforeAll
  static void start() {
    Path projectRoot = Path.of("..").toAbsolutePath().normalize();
    // The CA too in the test's own folder: the checkout's .local-tls belongs to `make run` and whoever trusts it.
    platform = LocalPlatform.start(LocalPlatformConfig.defaults(projectRoot).withRoot(state).withApiPort(0)
        .withTlsDir(state.resolve("tls")));
    artifacts = new RunArtifacts(platform.objectStore(), LocalPlatform.BUCKET);
    LocalPlatformMain.SETUP_SAMPLES.forEach(platform::applySample);
    platform.applySample("10-run.yaml");
    platform.applySample("11-run-failing.yaml");
  }

  @AfterAll
  static void stop() {
    if (artifacts != null) {
      artifacts.close();
    }
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void theSampleRunSucceedsAndItsArtifactsAreInObjectStorage() {
    DbtRun run = awaitFlushed("shop-build");
    assertThat(run.getStatus().phase).isEqualTo(RunPhase.Succeeded);
    assertThat(run.getStatus().gitBranch).isEqualTo("main");
    assertThat(run.getStatus().gitSha).hasSize(40);
    assertThat(run.getStatus().steps).extracting(s -> s.name).containsExactly(
        "Clone git repository", "Create profile from connection postgres", "Invoke dbt with `dbt deps`",
        "Invoke dbt with `dbt seed`", "Invoke dbt with `dbt build`");
    assertThat(run.getStatus().steps).allMatch(s -> "Succeeded".equals(s.status));

    String prefix = run.getStatus().logs.prefix;
    String runResults = ObjectKeys.stepArtifact(prefix, 5, "run_results.json");
    assertThat(artifacts.runResults(runResults)).contains(
        "model.shop.stg_customers success", "model.shop.stg_orders success", "model.shop.stg_payments success",
        "model.shop.customers success", "model.shop.orders success");
    assertThat(artifacts.runIdIn(runResults)).isEqualTo("shop-build");
    assertThat(artifacts.keys(prefix)).contains(
        ObjectKeys.summary(prefix), ObjectKeys.stepLog(prefix, 1), ObjectKeys.stepLog(prefix, 5),
        ObjectKeys.stepArtifact(prefix, 5, "manifest.json"));
    assertThat(artifacts.text(ObjectKeys.stepLog(prefix, 5))).contains("Completed successfully");

    // The volume was released only after the upload: the claim and its local folder are gone.
    await().atMost(Duration.ofSeconds(30)).until(() ->
        platform.client().persistentVolumeClaims().inNamespace("default").withName("shop-build-workspace").get() == null);
  }

  @Test
  void theFailingSampleRunFailsAtItsBrokenModelAndSkipsTheRest() {
    DbtRun run = awaitFlushed("shop-broken");
    assertThat(run.getStatus().phase).isEqualTo(RunPhase.Failed);
    assertThat(run.getStatus().reason).isEqualTo("StepFailed");
    List<RunStepStatus> steps = run.getStatus().steps;
    assertThat(steps.get(4).status).as(run.getStatus().message).isEqualTo("Failed");
    assertThat(steps.get(4).exitCode).isEqualTo(1);
    assertThat(steps.get(5).status).isEqualTo("Skipped");
    String prefix = run.getStatus().logs.prefix;
    assertThat(artifacts.runResults(ObjectKeys.stepArtifact(prefix, 5, "run_results.json")))
        .contains("model.shop.broken_orders error");
  }

  @Test
  void eachRunBuildsIntoItsSchemaInTheWarehouse() throws Exception {
    awaitFlushed("shop-build");
    awaitFlushed("shop-broken");
    try (var connection = java.sql.DriverManager.getConnection(
        platform.warehouse().jdbcUrl(LocalPlatform.WAREHOUSE_DATABASE), "postgres", "")) {
      var tables = connection.createStatement().executeQuery(
          "select table_schema, count(*) from information_schema.tables"
              + " where table_name = 'orders' group by table_schema order by 1");
      List<String> schemas = new java.util.ArrayList<>();
      while (tables.next()) {
        schemas.add(tables.getString(1));
      }
      // The failing run's own schema got its seeds and good models; only the broken model is missing.
      assertThat(schemas).containsExactly("analytics", "analytics_broken");
    }
  }

  @Test
  void noLogInObjectStorageContainsTheWarehousePassword() {
    awaitFlushed("shop-build");
    awaitFlushed("shop-broken");
    Secret secret = platform.client().secrets().inNamespace("default").withName(LocalPlatform.WAREHOUSE_SECRET).get();
    String password = secret.getData() != null && secret.getData().containsKey("password")
        ? new String(Base64.getDecoder().decode(secret.getData().get("password")), StandardCharsets.UTF_8)
        : secret.getStringData().get("password");
    assertThat(password).isNotBlank();
    for (String key : artifacts.keys("accounts/")) {
      if (key.endsWith("logs.txt") || key.endsWith("run-summary.json")) {
        assertThat(artifacts.text(key)).as(key).doesNotContain(password);
      }
    }
  }

  @Test
  void theLocalNodeKeptEachRunsPodLog() throws Exception {
    awaitFlushed("shop-build");
    Path podLog = state.resolve("node/pods/default/shop-build/dbt.log");
    assertThat(podLog).exists();
    assertThat(Files.readString(podLog)).contains("Invoke dbt with `dbt build`");
    // with the runtime's step markers, by which the API splits a running pod's log into steps
    assertThat(Files.readAllLines(podLog).stream().map(StepMarkers::parse).flatMap(java.util.Optional::stream)
        .filter(m -> m instanceof StepMarkers.Finished).map(StepMarkers.Marker::index)).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void theApiAnswersOverHttpsToClientsThatTrustTheLocalCa() throws Exception {
    assertThat(platform.apiUrl()).startsWith("https://127.0.0.1:");
    assertThat(platform.caCertificate()).isEqualTo(state.resolve("tls/ca.crt")).exists();
    HttpRequest accounts = HttpRequest.newBuilder(URI.create(platform.apiUrl() + "/api/v2/accounts/"))
        .header("Authorization", "Token " + platform.demoToken()).build();

    HttpClient trusting = HttpClient.newBuilder().sslContext(CaTrust.sslContext(platform.caCertificate())).build();
    HttpResponse<String> response = trusting.send(accounts, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"name\":\"" + LocalPlatform.DEMO_ACCOUNT + "\"");

    assertThatThrownBy(() -> HttpClient.newHttpClient().send(accounts, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void aCiRunDefersToTheNightlyJobsLastSuccessAndRunsTheCheckboxSteps() {
    platform.applySample("06-job-ci.yaml");
    createRunOf("shop-nightly", "shop-nightly-for-ci");
    assertThat(awaitFlushed("shop-nightly-for-ci").getStatus().phase).isEqualTo(RunPhase.Succeeded);
    await().atMost(Duration.ofMinutes(1)).until(() -> {
      DbtJob nightly = platform.client().resources(DbtJob.class).inNamespace("default").withName("shop-nightly").get();
      return nightly.getStatus() != null && nightly.getStatus().lastSuccessfulRun != null
          && "shop-nightly-for-ci".equals(nightly.getStatus().lastSuccessfulRun.name);
    });

    createRunOf("shop-ci", "shop-ci-1");
    DbtRun ci = awaitFlushed("shop-ci-1");

    assertThat(ci.getStatus().phase).as(ci.getStatus().message).isEqualTo(RunPhase.Succeeded);
    assertThat(ci.getStatus().steps).extracting(s -> s.command).containsExactly(null, null, "dbt deps",
        "dbt source freshness", "dbt build --select state:modified+", "dbt docs generate");
    // the sample's raw_orders is stale: the freshness step fails without failing the run
    assertThat(ci.getStatus().steps).extracting(s -> s.status).containsExactly("Succeeded", "Succeeded", "Succeeded",
        "Failed", "Succeeded", "Succeeded");
    String prefix = ci.getStatus().logs.prefix;
    // the pod's init container fetched the nightly run's manifest; dbt compared against it
    assertThat(artifacts.text(ObjectKeys.stepLog(prefix, 2)))
        .contains("Deferring to the last successful run shop-nightly-for-ci of DbtJob 'shop-nightly'")
        .contains("fetched manifest.json of s3://" + LocalPlatform.BUCKET + "/");
    assertThat(artifacts.text(ObjectKeys.stepLog(prefix, 5)))
        .contains("--select state:modified+ --defer --state")
        .as("nothing changed since the nightly run, so nothing is rebuilt").contains("Nothing to do");
    assertThat(artifacts.keys(prefix)).contains(ObjectKeys.stepArtifact(prefix, 6, "catalog.json"),
        ObjectKeys.stepArtifact(prefix, 4, "sources.json"));
  }

  private static void createRunOf(String job, String name) {
    DbtRunSpec spec = new DbtRunSpec();
    spec.jobRef = ObjectRef.named(job);
    platform.client().resources(DbtRun.class).inNamespace("default").resource(new DbtRun("default", name, spec)).create();
  }

  private static DbtRun awaitFlushed(String name) {
    await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofSeconds(1)).until(() -> {
      DbtRun r = platform.client().resources(DbtRun.class).inNamespace("default").withName(name).get();
      return r != null && r.getStatus() != null && r.getStatus().logs != null && r.getStatus().logs.flushedAt != null;
    });
    return platform.client().resources(DbtRun.class).inNamespace("default").withName(name).get();
  }
}
