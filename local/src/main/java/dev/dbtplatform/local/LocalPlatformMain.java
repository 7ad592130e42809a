package dev.dbtplatform.local;

import dev.dbtplatform.crd.DbtJob;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.RunPhase;
import dev.dbtplatform.local.node.FileTrees;
import dev.dbtplatform.operator.OperatorMain;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * `make run`: starts the platform on this machine, applies the sample project, environment and
 * two runs (one succeeds, one fails on purpose), follows them and shows the result; then
 * triggers the sample job and a job deferring to it through the API, goes through a develop
 * session's loop, and finally applies a job scheduled every minute and prints its runs as they end.
 *
 * <pre>
 * --exit             stop after the demo (exit code 0 when both runs ended as expected)
 * --root PATH        state folder, default .local
 * --kubeconfig PATH  run only the operator, against the cluster of that kubeconfig
 * </pre>
 */
public final class LocalPlatformMain {
  static final List<String> SETUP_SAMPLES = List.of("01-project.yaml", "02-warehouse-secret.yaml", "03-environment.yaml",
      "05-job.yaml");
  static final String DEMO_JOB = "shop-nightly";
  static final String DEFERRING_SAMPLE = "06-job-ci.yaml";
  static final String DEFERRING_JOB = "shop-ci";
  static final String SCHEDULED_SAMPLE = "07-job-every-minute.yaml";
  static final String DEVELOP_ENVIRONMENT_SAMPLE = "04-environment-development.yaml";
  static final String DEVELOP_ENVIRONMENT = "development";
  static final String SCHEDULED_JOB = "shop-every-minute";
  static final Map<String, RunPhase> DEMO_RUNS = Map.of("10-run.yaml", RunPhase.Succeeded, "11-run-failing.yaml", RunPhase.Failed);
  static final Duration DEMO_TIMEOUT = Duration.ofMinutes(10);

  private LocalPlatformMain() {}

  public static void main(String[] args) throws Exception {
    boolean exit = false;
    Path root = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--exit" -> exit = true;
        case "--root" -> root = Path.of(args[++i]);
        case "--kubeconfig" -> {
          // The operator alone, against a real cluster: fabric8 reads the kubeconfig property.
          System.setProperty("kubeconfig", args[++i]);
          OperatorMain.main(new String[0]);
          return;
        }
        default -> {
          System.err.println("unknown argument " + args[i] + "; use --exit, --root PATH or --kubeconfig PATH");
          System.exit(2);
        }
      }
    }
    PrintStream out = System.out;
    LocalPlatformConfig config = LocalPlatformConfig.defaults(Path.of(""));
    if (root != null) {
      config = config.withRoot(root.toAbsolutePath());
    }
    Instant t0 = Instant.now();
    // The API stand-in keeps its objects in memory only: start every part fresh, so objects in
    // storage and rows in the warehouse never outlive the runs that made them.
    FileTrees.deleteRecursively(config.root());
    out.println("Starting dbt-platform on this machine (fresh state in " + config.root() + ") ...");
    LocalPlatform platform = LocalPlatform.start(config);
    out.printf("Started in %.1fs:%n", Duration.between(t0, Instant.now()).toMillis() / 1000.0);
    out.println("  Kubernetes API (stand-in)  " + platform.kubernetesUrl());
    out.println("  object storage (S3)        " + platform.objectStore().endpoint() + "  bucket " + LocalPlatform.BUCKET);
    out.println("  warehouse (PostgreSQL)     " + platform.warehouse().jdbcUrl(LocalPlatform.WAREHOUSE_DATABASE));
    out.println("  operator metrics           http://127.0.0.1:" + platform.metricsPort() + "/metrics");
    out.println("  dbt Cloud API              " + platform.apiUrl() + "  account " + platform.demoAccount().id());
    out.println("  its CA certificate         " + shown(platform.caCertificate()));
    out.println();

    SETUP_SAMPLES.forEach(platform::applySample);
    Map<String, RunPhase> expected = new LinkedHashMap<>();
    for (var sample : List.of("10-run.yaml", "11-run-failing.yaml")) {
      String name = platform.applySample(sample).getMetadata().getName();
      expected.put(name, DEMO_RUNS.get(sample));
      out.println("applied DbtRun " + name + " from config/samples/" + sample);
    }

    boolean asExpected;
    try (RunArtifacts artifacts = new RunArtifacts(platform.objectStore(), LocalPlatform.BUCKET)) {
      Map<String, DbtRun> finished = new RunFollower(platform.client(), platform.namespace(), out)
          .follow(expected.keySet(), DEMO_TIMEOUT);
      RunReporter reporter = new RunReporter(artifacts, out);
      finished.values().forEach(reporter::report);
      asExpected = expected.entrySet().stream().allMatch(e -> finished.containsKey(e.getKey())
          && finished.get(e.getKey()).getStatus().phase == e.getValue());
    }
    out.println();
    out.println(asExpected
        ? "Both sample runs ended as expected: shop-build Succeeded, shop-broken Failed at its broken model."
        : "The sample runs did not end as expected; see above.");

    long jobId = platform.jobId(DEMO_JOB);
    out.println();
    out.println("Now through the dbt Cloud-compatible API, as Airflow, Dagster or dbt-cloud-cli would: job "
        + DEMO_JOB + " has id " + jobId + ".");
    out.println("  export TOKEN=" + platform.demoToken());
    printHowToTrust(out, platform);
    ApiDemo api = new ApiDemo(platform.apiUrl(), platform.caCertificate(), platform.demoAccount().id(),
        platform.demoToken(), out);
    var apiRun = api.triggerAndFollow(jobId, DEMO_TIMEOUT);
    boolean apiAsExpected = apiRun != null && apiRun.get("is_success").asBoolean();
    out.println(apiAsExpected ? "The API run succeeded." : "The API run did not succeed; see above.");
    asExpected = asExpected && apiAsExpected && deferringRun(platform, api, out) && developLoop(platform, out);

    if (exit) {
      platform.close();
      System.exit(asExpected ? 0 : 1);
    }
    platform.applySample(SCHEDULED_SAMPLE);
    out.println();
    out.println("Applied DbtJob " + SCHEDULED_JOB + " from config/samples/" + SCHEDULED_SAMPLE
        + ": cron \"*/1 * * * *\", a run at the start of every minute (UTC), never two at once. Its runs,");
    out.println("also listed by the API with job_definition_id=" + platform.jobId(SCHEDULED_JOB) + ", as they end:");
    new ScheduleWatcher(platform.client(), platform.namespace(), SCHEDULED_JOB, out).start();
    out.println("The platform keeps running; pod logs are under " + config.root().resolve("node/pods") + ". Ctrl-C stops it.");
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      platform.close();
      stop.countDown();
    }));
    stop.await();
  }

  /**
   * A run of shop-ci, which defers to shop-nightly's latest successful run (the API run just
   * before) and runs both checkbox steps: source freshness fails on the sample's stale source
   * without failing the run. @return whether it succeeded
   */
  private static boolean deferringRun(LocalPlatform platform, ApiDemo api, PrintStream out) throws Exception {
    platform.applySample(DEFERRING_SAMPLE);
    waitForLastSuccess(platform, DEMO_JOB);
    out.println();
    out.println("Job " + DEFERRING_JOB + " (config/samples/" + DEFERRING_SAMPLE + ") defers to " + DEMO_JOB
        + "'s last successful run and has dbt Cloud's two checkbox steps:");
    var run = api.triggerAndFollow(platform.jobId(DEFERRING_JOB), DEMO_TIMEOUT);
    if (run == null) {
      return false;
    }
    api.printSteps(run.get("id").asLong());
    boolean success = run.get("is_success").asBoolean();
    out.println(success ? "The deferring run succeeded; its freshness step failed on the stale source without failing it."
        : "The deferring run did not succeed; see above.");
    return success;
  }

  /**
   * The develop loop through the API with the demo user's personal token: a session on the
   * development environment, a new model compiled, built, previewed, committed and pushed, the
   * session stopped and resumed. @return whether it all worked
   */
  private static boolean developLoop(LocalPlatform platform, PrintStream out) {
    platform.applySample(DEVELOP_ENVIRONMENT_SAMPLE);
    out.println();
    out.println("A develop session for " + LocalPlatform.DEMO_USER + " (personal token: export DEV_TOKEN="
        + platform.developerToken() + "), on the environment " + DEVELOP_ENVIRONMENT + " (id "
        + platform.environmentId(DEVELOP_ENVIRONMENT) + ", config/samples/" + DEVELOP_ENVIRONMENT_SAMPLE + "):");
    try {
      new DevelopDemo(platform.apiUrl(), platform.caCertificate(), platform.demoAccount().id(), platform.developerToken(), out)
          .run(platform.environmentId(DEVELOP_ENVIRONMENT), LocalPlatform.DEVELOP_CREDENTIALS_SECRET, DEMO_TIMEOUT);
      out.println("The develop loop worked: the branch " + DevelopDemo.BRANCH + " is in " + platform.sampleRepositoryUrl());
      return true;
    } catch (Exception e) {
      out.println("The develop loop did not work: " + e.getMessage());
      return false;
    }
  }

  /** The job records its latest success a moment after the run's artifacts are saved. */
  private static void waitForLastSuccess(LocalPlatform platform, String job) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(deadline)) {
      DbtJob found = platform.client().resources(DbtJob.class).inNamespace(platform.namespace()).withName(job).get();
      if (found != null && found.getStatus() != null && found.getStatus().lastSuccessfulRun != null) {
        return;
      }
      Thread.sleep(200);
    }
  }

  /** The API speaks HTTPS only; its certificate comes from a CA of this checkout that clients must be told to trust. */
  private static void printHowToTrust(PrintStream out, LocalPlatform platform) {
    String ca = platform.caCertificate().toAbsolutePath().toString();
    out.println("The API speaks HTTPS with a certificate from this checkout's own CA (kept in " + shown(
        platform.caCertificate().getParent()) + " across runs). Trust it:");
    out.println("  curl --cacert " + shown(platform.caCertificate()) + " -H \"Authorization: Token $TOKEN\" "
        + platform.apiUrl() + "/api/v2/accounts/");
    out.println("  export REQUESTS_CA_BUNDLE=" + ca + "   # Python requests: Airflow provider, prefect-dbt, dbt-cloud-cli");
    out.println("  export SSL_CERT_FILE=" + ca + "        # Python's ssl module, httpx, other OpenSSL clients");
  }

  /** A path as the user types it: relative when it is under the current folder, where `make run` runs. */
  static String shown(Path path) {
    Path here = Path.of("").toAbsolutePath();
    Path absolute = path.toAbsolutePath().normalize();
    return absolute.startsWith(here) ? here.relativize(absolute).toString() : absolute.toString();
  }
}
