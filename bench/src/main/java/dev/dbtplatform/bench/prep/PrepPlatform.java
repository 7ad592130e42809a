package dev.dbtplatform.bench.prep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbtplatform.api.tls.CaTrust;
import dev.dbtplatform.crd.DbtJob;
import dev.dbtplatform.crd.DbtJobSpec;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.ObjectRef;
import dev.dbtplatform.local.LocalPlatform;
import dev.dbtplatform.local.LocalPlatformConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The whole platform in one-machine mode, as {@code make run} starts it, with the sample project
 * and production environment and a job of its own that the benchmark triggers through the API.
 * The job has no schedule, so no run but the benchmark's ever starts, whatever the time of day.
 */
final class PrepPlatform implements AutoCloseable {
  static final String JOB = "prep-time";
  static final List<String> SAMPLES = List.of("01-project.yaml", "02-warehouse-secret.yaml", "03-environment.yaml");
  static final String ENVIRONMENT = "production";
  static final List<String> JOB_STEPS = List.of("dbt ls --resource-type seed");
  private static final ObjectMapper JSON = new ObjectMapper();

  final LocalPlatform platform;
  final Path projectRoot;
  final Path state;
  private final HttpClient http;
  private final long jobId;

  private PrepPlatform(LocalPlatform platform, Path projectRoot, Path state) {
    this.platform = platform;
    this.projectRoot = projectRoot;
    this.state = state;
    // the API speaks HTTPS only, with a certificate of the platform's own CA
    this.http = HttpClient.newBuilder().sslContext(CaTrust.sslContext(platform.caCertificate())).build();
    SAMPLES.forEach(platform::applySample);
    platform.client().resources(DbtJob.class).inNamespace(platform.namespace())
        .resource(new DbtJob(platform.namespace(), JOB, jobSpec())).create();
    this.jobId = platform.jobId(JOB);
  }

  /** Starts the platform with its state in {@code state}, on a free API port. */
  static PrepPlatform start(Path projectRoot, Path state) {
    LocalPlatform platform = LocalPlatform.start(LocalPlatformConfig.defaults(projectRoot).withRoot(state)
        .withApiPort(0).withTlsDir(state.resolve("tls")));
    try {
      return new PrepPlatform(platform, projectRoot, state);
    } catch (RuntimeException e) {
      platform.close();
      throw e;
    }
  }

  /**
   * One dbt command after the prep: the clone adds {@code dbt deps} before it (the sample project
   * has packages), and that is the first dbt command, the one whose first line is awaited.
   */
  private static DbtJobSpec jobSpec() {
    DbtJobSpec spec = new DbtJobSpec();
    spec.environmentRef = ObjectRef.named(ENVIRONMENT);
    spec.steps = JOB_STEPS;
    spec.timeoutSeconds = 600L;
    return spec;
  }

  /** {@code POST /api/v2/accounts/{a}/jobs/{j}/run/}; returns the run's id the API answered with. */
  long trigger() throws IOException, InterruptedException {
    String path = "/api/v2/accounts/" + platform.demoAccount().id() + "/jobs/" + jobId + "/run/";
    HttpRequest request = HttpRequest.newBuilder(URI.create(platform.apiUrl() + path))
        .header("Authorization", "Token " + platform.demoToken())
        .header("Content-Type", "application/json")
        .timeout(Duration.ofMinutes(1))
        .POST(HttpRequest.BodyPublishers.ofString("{\"cause\": \"prep-time benchmark\"}"))
        .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IOException("POST " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    JsonNode run = JSON.readTree(response.body()).path("data");
    return run.path("id").asLong();
  }

  /** The DbtRun of the run the API answered with: its label carries the API's run id. */
  DbtRun runOf(long apiRunId) {
    return platform.client().resources(DbtRun.class).inNamespace(platform.namespace())
        .withLabel(dev.dbtplatform.crd.ApiGroup.RUN_ID_LABEL, Long.toString(apiRunId)).list().getItems()
        .stream().findFirst().orElse(null);
  }

  DbtRun run(String name) {
    return platform.client().resources(DbtRun.class).inNamespace(platform.namespace()).withName(name).get();
  }

  /** Where the local node writes the output of a pod's container. */
  Path containerLog(String podName, String container) {
    return state.resolve("node/pods").resolve(platform.namespace()).resolve(podName).resolve(container + ".log");
  }

  /** The repository root: the nearest folder up from here with the sample project and the dbt venv. */
  static Path findProjectRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("samples/dbt-project")) && Files.isDirectory(dir.resolve("config/samples"))) {
        return dir;
      }
    }
    throw new IllegalStateException("run from the dbt-platform checkout: no samples/dbt-project above "
        + Path.of("").toAbsolutePath());
  }

  @Override
  public void close() {
    platform.close();
  }
}
