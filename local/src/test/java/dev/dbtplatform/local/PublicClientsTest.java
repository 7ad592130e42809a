package dev.dbtplatform.local;

import static dev.dbtplatform.local.clients.ReadFields.array;
import static dev.dbtplatform.local.clients.ReadFields.bool;
import static dev.dbtplatform.local.clients.ReadFields.integer;
import static dev.dbtplatform.local.clients.ReadFields.object;
import static dev.dbtplatform.local.clients.ReadFields.present;
import static dev.dbtplatform.local.clients.ReadFields.text;
import static dev.dbtplatform.local.clients.ReadFields.texts;
import static dev.dbtplatform.local.clients.ReadFields.timestamp;
import static dev.dbtplatform.local.clients.Replies.assertRunResultsOf;
import static dev.dbtplatform.local.clients.Replies.exactlyNamed;
import static dev.dbtplatform.local.clients.Replies.idsOf;
import static dev.dbtplatform.local.clients.Replies.ok;
import static dev.dbtplatform.local.clients.Replies.paginated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbtplatform.local.clients.AirflowDbtCloudHook;
import dev.dbtplatform.local.clients.DagsterDbtCloudResource;
import dev.dbtplatform.local.clients.DagsterDbtCloudWorkspaceClient;
import dev.dbtplatform.local.clients.DbtCloudCli;
import dev.dbtplatform.local.clients.PrefectDbtCloudClient;
import dev.dbtplatform.local.clients.Replies;
import dev.dbtplatform.local.clients.Reply;
import dev.dbtplatform.local.clients.WireClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API as the public dbt Cloud clients use it, on the whole platform with real dbt runs:
 * dbt-cloud-cli itself, and the HTTP calls of Airflow's DbtCloudHook, dagster-dbt's two clients
 * and prefect-dbt's client replayed as those put them on the wire (see the classes in
 * {@code clients/}). Every field a client reads is checked for presence and type.
 *
 * <p>Two runs of the sample job go to Success: dbt-cloud-cli starts one, the Airflow hook the
 * other, which the remaining clients then read. Their own triggers are replayed too, and those
 * runs cancelled at once, as the clients do on a timeout or a killed task.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PublicClientsTest {
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);
  private static final List<String> DBT_ARTIFACTS = List.of("manifest.json", "run_results.json");
  private static final String JOB = LocalPlatformMain.DEMO_JOB;

  @TempDir
  static Path state;
  static Path projectRoot;
  static LocalPlatform platform;
  static long accountId;
  static long jobId;
  static AirflowDbtCloudHook airflow;
  /** The run the Airflow hook drove to Success, which the other clients read. */
  static Long airflowRunId;

  @BeforeAll
  static void start() {
    projectRoot = Path.of("..").toAbsolutePath().normalize();
    // The CA too in the test's own folder: the checkout's .local-tls belongs to `make run`.
    platform = LocalPlatform.start(LocalPlatformConfig.defaults(projectRoot).withRoot(state).withApiPort(0)
        .withTlsDir(state.resolve("tls")));
    LocalPlatformMain.SETUP_SAMPLES.forEach(platform::applySample);
    accountId = platform.demoAccount().id();
    jobId = platform.jobId(JOB);
    airflow = new AirflowDbtCloudHook(wire(), accountId, platform.demoToken());
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  @Order(1)
  void dbtCloudCliRunsTheJobToSuccessAndFetchesItsRunResults() {
    assumeThat(DbtCloudCli.isInstalled(projectRoot))
        .as("dbt-cloud-cli is not installed in .venv-clients: run `make venv-clients` (make test does)").isTrue();
    URI api = URI.create(platform.apiUrl());
    DbtCloudCli cli = new DbtCloudCli(projectRoot, api.getHost() + ":" + api.getPort(), platform.demoToken(),
        accountId, platform.caCertificate());

    assertThat(integer(succeeded(cli.run("account", "get")).path("data"), "id")).isEqualTo(accountId);
    assertThat(idsOf(succeeded(cli.run("account", "list")))).containsExactly(accountId);
    JsonNode job = succeeded(cli.run("job", "get", "--job-id", Long.toString(jobId))).path("data");
    assertThat(integer(job, "id")).isEqualTo(jobId);
    assertThat(text(job, "name")).isEqualTo(JOB);
    assertThat(texts(job, "execute_steps")).containsExactly("dbt seed", "dbt build");
    long projectId = integer(job, "project_id");
    long environmentId = integer(job, "environment_id");
    assertThat(idsOf(succeeded(cli.run("job", "list", "--project-id", Long.toString(projectId))))).contains(jobId);
    assertThat(idsOf(succeeded(cli.run("project", "list")))).contains(projectId);
    assertThat(idsOf(succeeded(cli.run("environment", "list", "--project-id", Long.toString(projectId)))))
        .contains(environmentId);

    // --wait polls `run get` every 5 s and exits 1 unless the run ends in Success
    DbtCloudCli.Result triggered = cli.run("job", "run", "--job-id", Long.toString(jobId), "--wait");
    JsonNode run = succeeded(triggered).path("data");
    long runId = integer(run, "id");
    String id = Long.toString(runId);
    assertThat(triggered.stderr()).contains("Job " + jobId + " run " + runId + ": SUCCESS");
    assertThat(integer(run, "status")).isEqualTo(10);
    assertThat(bool(run, "is_success")).isTrue();
    assertThat(bool(run, "is_complete")).isTrue();

    awaitRun(() -> cliReply(cli, "run", "get", "--run-id", id), Replies::isCompleteWithArtifacts);
    JsonNode steps = array(succeeded(cli.run("run", "get", "--run-id", id, "--include-related", "run_steps"))
        .path("data"), "run_steps");
    List<String> stepNames = new ArrayList<>();
    for (JsonNode step : steps) {
      assertThat(integer(step, "status")).as(step.toString()).isEqualTo(10);
      integer(step, "index");
      stepNames.add(text(step, "name"));
    }
    assertThat(stepNames).contains("Invoke dbt with `dbt seed`", "Invoke dbt with `dbt build`");

    assertThat(texts(succeeded(cli.run("run", "list-artifacts", "--run-id", id)), "data")).containsAll(DBT_ARTIFACTS);
    assertRunResultsOf(succeeded(cli.run("run", "get-artifact", "--run-id", id, "--path", "run_results.json")), runId);

    JsonNode runs = succeeded(cli.run("run", "list", "--job-id", Long.toString(jobId), "--order-by", "-id"));
    assertThat(idsOf(runs)).first().isEqualTo(runId);
    JsonNode successes = succeeded(cli.run("run", "list", "--job-id", Long.toString(jobId), "--status", "Succeeded",
        "--paginate"));
    assertThat(idsOf(successes)).containsExactly(runId);
  }

  @Test
  @Order(2)
  void airflowDbtCloudHookRunsTheJobToSuccessAndReadsItsArtifacts() {
    ok(airflow.testConnection());
    assertThat(integer(ok(airflow.getAccount()).data(), "id")).isEqualTo(accountId);
    assertThat(integer(ok(airflow.getJob(jobId)).data(), "id")).isEqualTo(jobId);
    // DbtCloudListJobsOperator: every job's id, through the hook's pagination
    assertThat(idsOf(paginated(airflow.listJobs(null, null, null, null)))).contains(jobId);
    // DbtCloudRunJobOperator(reuse_existing_run=True): nothing of the job runs, so it triggers
    assertThat(idsOf(ok(airflow.nonTerminalRunsOfJob(jobId)).json())).isEmpty();

    JsonNode triggered = ok(airflow.triggerJobRun(jobId,
        "Triggered via Apache Airflow by task 'run_shop_nightly' in the shop DAG.")).data();
    long runId = integer(triggered, "id");
    // pushed to XCom as job_run_url, the operator's link to the run
    assertThat(text(triggered, "href")).isEqualTo(platform.apiUrl() + "/api/v2/accounts/" + accountId + "/runs/"
        + runId + "/");
    assertThat(idsOf(ok(airflow.nonTerminalRunsOfJob(jobId)).json())).containsExactly(runId);
    assertThat(idsOf(ok(airflow.latestRunOfJob(jobId)).json())).containsExactly(runId);

    // wait_for_job_run_status: get_job_run_status until the status is terminal
    JsonNode finished = awaitRun(() -> airflow.getJobRun(runId, null), Replies::isTerminal);
    assertThat(integer(finished, "status")).as(finished.toString()).isEqualTo(10);
    // the deferrable operator's DbtCloudRunJobTrigger asks the same with aiohttp
    assertThat(integer(ok(airflow.getJobDetailsAsync(runId)).data(), "status")).isEqualTo(10);
    awaitRun(() -> airflow.getJobRun(runId, null), Replies::isCompleteWithArtifacts);

    // OpenLineage: the run with its steps and job in one include_related item, then both dbt
    // artifacts of each step that ran one of the job's commands. (It also reads the project's
    // `connection`, which this API does not have: warehouses belong to environments here.)
    JsonNode lineage = ok(airflow.getJobRun(runId, List.of("run_steps,job"))).data();
    JsonNode lineageJob = object(lineage, "job");
    assertThat(integer(lineageJob, "account_id")).isEqualTo(accountId);
    assertThat(integer(ok(airflow.getProject(integer(lineageJob, "project_id"))).data(), "id"))
        .isEqualTo(integer(lineageJob, "project_id"));
    List<String> executeSteps = texts(lineageJob, "execute_steps");
    List<Integer> dbtSteps = new ArrayList<>();
    for (JsonNode step : array(lineage, "run_steps")) {
      String name = text(step, "name");
      if (name.startsWith("Invoke dbt with `") && executeSteps.contains(name.substring(17, name.length() - 1))) {
        dbtSteps.add((int) integer(step, "index"));
      }
    }
    assertThat(dbtSteps).hasSize(2);
    for (int step : dbtSteps) {
      for (String artifact : DBT_ARTIFACTS) {
        ok(airflow.getJobRunArtifact(runId, artifact, step)).json();
      }
    }
    // catalog.json exists only when docs are generated; OpenLineage expects a 404 then
    assertThat(airflow.getJobRunArtifact(runId, "catalog.json", null).status()).isEqualTo(404);

    assertThat(texts(ok(airflow.listJobRunArtifacts(runId, null)).json(), "data")).containsAll(DBT_ARTIFACTS);
    // DbtCloudGetJobRunArtifactOperator: json.dump(response.json()) of a .json path
    assertRunResultsOf(ok(airflow.getJobRunArtifact(runId, "run_results.json", null)).json(), runId);
    assertThat(idsOf(paginated(airflow.listJobRuns(null, jobId, "-id")))).first().isEqualTo(runId);
    airflowRunId = runId;
  }

  @Test
  @Order(3)
  void airflowFindsTheJobByNameAsDbtCloudRunJobOperatorDoes() {
    // get_job_by_name: filter each list by name, then keep the one exact match
    long projectId = integer(exactlyNamed(paginated(airflow.listProjects("shop")), "shop"), "id");
    long environmentId = integer(exactlyNamed(paginated(airflow.listEnvironments(projectId, "production")),
        "production"), "id");
    JsonNode job = exactlyNamed(paginated(airflow.listJobs(null, projectId, environmentId, JOB)), JOB);
    assertThat(integer(job, "id")).isEqualTo(jobId);
  }

  @Test
  @Order(4)
  void dagsterResourceReadsTheRunAndTriggersAndCancelsAnother() {
    long runId = airflowRun();
    DagsterDbtCloudResource dagster = new DagsterDbtCloudResource(wire(), accountId, platform.demoToken());

    JsonNode polled = ok(dagster.getRun(runId, null)).data();
    assertThat(text(polled, "status_humanized")).isEqualTo("Success");
    text(polled, "href");
    // poll_run's answer on Success, and what DbtCloudOutput reads of it
    JsonNode details = ok(dagster.getRun(runId, List.of("job", "trigger"))).data();
    assertThat(integer(details, "id")).isEqualTo(runId);
    assertThat(integer(details, "job_id")).isEqualTo(jobId);
    assertThat(integer(details, "account_id")).isEqualTo(accountId);
    JsonNode job = object(details, "job");
    assertThat(text(job, "name")).isEqualTo(JOB);
    bool(job, "generate_docs");
    // get_run_steps: the trigger's steps_override, else the job's steps
    assertThat(texts(job, "execute_steps")).containsExactly("dbt seed", "dbt build");
    assertThat(present(object(details, "trigger"), "steps_override").isNull()).isTrue();
    for (String time : List.of("created_at", "updated_at", "dequeued_at", "started_at", "finished_at")) {
      timestamp(details, time);
    }
    assertThat(texts(ok(dagster.listRunArtifacts(runId)).json(), "data")).containsAll(DBT_ARTIFACTS);
    assertRunResultsOf(ok(dagster.getRunArtifact(runId, "run_results.json")).json(), runId);
    assertThat(idsOf(ok(dagster.getRuns("[]", jobId)).json())).first().isEqualTo(runId);
    assertThat(idsOf(ok(dagster.getRuns("['job']", jobId)).json())).first().isEqualTo(runId);

    // run_job: update_job turns the job's schedule off first, posting back the job as get_job gave it
    JsonNode updated = ok(dagster.disableSchedule(jobId, ok(dagster.getJob(jobId)).data())).data();
    assertThat(integer(updated, "id")).isEqualTo(jobId);
    assertThat(bool(object(updated, "triggers"), "schedule")).isFalse();
    assertThat(texts(updated, "execute_steps")).containsExactly("dbt seed", "dbt build");
    JsonNode started = ok(dagster.runJob(jobId)).data();
    long startedId = integer(started, "id");
    text(started, "href");
    ok(dagster.cancelRun(startedId));
    JsonNode cancelled = awaitRun(() -> dagster.getRun(startedId, null),
        r -> List.of("Success", "Error", "Cancelled").contains(text(r, "status_humanized")));
    assertThat(text(cancelled, "status_humanized")).isEqualTo("Cancelled");
    // what poll_run puts in the Failure it raises
    text(ok(dagster.getRun(startedId, List.of("trigger"))).data(), "status_message");
  }

  @Test
  @Order(5)
  void dagsterWorkspaceClientReadsTheRunAndItsArtifacts() {
    long runId = airflowRun();
    DagsterDbtCloudWorkspaceClient dagster = new DagsterDbtCloudWorkspaceClient(wire(), accountId, platform.demoToken());

    JsonNode account = ok(dagster.getAccountDetails()).data();
    assertThat(integer(account, "id")).isEqualTo(accountId);
    text(account, "name");
    // DbtCloudRun.from_run_details
    JsonNode run = ok(dagster.getRunDetails(runId)).data();
    assertThat(integer(run, "status")).isEqualTo(10);
    assertThat(integer(run, "job_definition_id")).isEqualTo(jobId);
    integer(run, "trigger_id");
    assertThat(integer(run, "account_id")).isEqualTo(accountId);
    long projectId = integer(run, "project_id");
    long environmentId = integer(run, "environment_id");
    text(run, "href");

    // DbtCloudWorkspace names its ad hoc job after the project and environment
    assertThat(text(ok(dagster.getProjectDetails(projectId)).data(), "name")).isEqualTo("shop");
    assertThat(text(ok(dagster.getEnvironmentDetails(environmentId)).data(), "name")).isEqualTo("production");
    assertThat(ok(dagster.listJobs(projectId, environmentId)).data()).anySatisfy(j -> {
      assertThat(integer(j, "id")).isEqualTo(jobId);
      assertThat(integer(j, "account_id")).isEqualTo(accountId);
      assertThat(integer(j, "project_id")).isEqualTo(projectId);
      assertThat(integer(j, "environment_id")).isEqualTo(environmentId);
      assertThat(text(j, "name")).isEqualTo(JOB);
    });
    assertThat(integer(ok(dagster.getJobDetails(jobId)).data(), "id")).isEqualTo(jobId);

    // the run sensor: the runs that finished in a window
    OffsetDateTime finishedAt = timestamp(run, "finished_at");
    JsonNode batch = ok(dagster.getRunsBatch(projectId, environmentId, finishedAt.minusMinutes(1),
        finishedAt.plusMinutes(1))).json();
    assertThat(idsOf(batch)).contains(runId);
    integer(object(object(batch, "extra"), "pagination"), "total_count");

    assertThat(texts(ok(dagster.listRunArtifacts(runId)).json(), "data")).containsAll(DBT_ARTIFACTS);
    JsonNode runResults = ok(dagster.getRunArtifact(runId, "run_results.json")).json();
    assertRunResultsOf(runResults, runId);
    // DbtCloudJobRunResults.to_default_asset_events: each result, and its node in the manifest
    JsonNode nodes = object(ok(dagster.getRunArtifact(runId, "manifest.json")).json(), "nodes");
    text(object(runResults, "metadata"), "invocation_id");
    for (JsonNode result : array(runResults, "results")) {
      JsonNode node = object(nodes, text(result, "unique_id"));
      array(node, "fqn");
      text(node, "resource_type");
      text(object(node, "config"), "materialized");
      assertThat(present(result, "execution_time").isNumber()).isTrue();
      JsonNode timing = array(result, "timing");
      text(timing.path(timing.size() - 1), "completed_at");
      present(result, "failures");
    }

    // DbtCloudJobRunHandler.run, for workspace.cli(["parse"]); stopped before it gets far
    long startedId = integer(ok(dagster.triggerJobRun(jobId, List.of("dbt parse"))).data(), "id");
    // dagster-dbt has no cancel call: Airflow's DbtCloudRunJobOperator.on_kill stands in
    ok(airflow.cancelJobRun(startedId));
    JsonNode cancelled = awaitRun(() -> dagster.getRunDetails(startedId), Replies::isTerminal);
    assertThat(integer(cancelled, "status")).isEqualTo(30);
  }

  @Test
  @Order(6)
  void prefectClientReadsTheRunAndItsArtifacts() {
    long runId = airflowRun();
    PrefectDbtCloudClient prefect = new PrefectDbtCloudClient(wire(), accountId, platform.demoToken());

    assertThat(integer(ok(prefect.getJob(jobId)).data(), "id")).isEqualTo(jobId);
    // wait_for_dbt_cloud_job_run, then the artifact paths that ..._and_wait_for_completion adds
    assertThat(integer(ok(prefect.getRun(runId, null)).data(), "status")).isEqualTo(10);
    assertThat(texts(ok(prefect.listRunArtifacts(runId, null)).json(), "data")).containsAll(DBT_ARTIFACTS);
    assertRunResultsOf(ok(prefect.getRunArtifact(runId, "run_results.json", null)).json(), runId);

    // the retry flow reads the steps, skips the first three (clone, profile, deps), takes the
    // command out of each name and reads that step's run_results.json
    JsonNode run = ok(prefect.getRun(runId, List.of("run_steps"))).data();
    assertThat(integer(run, "job_id")).isEqualTo(jobId);
    for (JsonNode step : array(run, "run_steps")) {
      assertThat(text(step, "status_humanized").toLowerCase()).isEqualTo("success");
      int index = (int) integer(step, "index");
      if (index > 3) {
        assertThat(text(step, "name")).startsWith("Invoke dbt with `dbt ");
        array(ok(prefect.getRunArtifact(runId, "run_results.json", index)).json(), "results");
        assertThat(texts(ok(prefect.listRunArtifacts(runId, index)).json(), "data")).contains("run_results.json");
      }
    }

    JsonNode started = ok(prefect.triggerJobRun(jobId, "crimson-okapi")).data();
    long startedId = integer(started, "id");
    // the log line with the run's page reads its project
    integer(started, "project_id");
    // prefect-dbt has no cancel call: Airflow's DbtCloudRunJobOperator.on_kill stands in
    ok(airflow.cancelJobRun(startedId));
    JsonNode cancelled = awaitRun(() -> prefect.getRun(startedId, null), Replies::isTerminal);
    assertThat(integer(cancelled, "status")).isEqualTo(30);
  }

  private static WireClient wire() {
    return new WireClient(platform.apiUrl(), platform.caCertificate());
  }

  private static long airflowRun() {
    assumeThat(airflowRunId).as("the Airflow hook's run did not succeed; see that test").isNotNull();
    return airflowRunId;
  }

  private static JsonNode awaitRun(Supplier<Reply> poll, Predicate<JsonNode> done) {
    return Replies.awaitRun(poll, done, RUN_TIMEOUT);
  }

  private static JsonNode succeeded(DbtCloudCli.Result result) {
    assertThat(result.exitCode()).as(result.toString()).isZero();
    return result.json();
  }

  /** A CLI command as a reply, to poll with it like with the other clients. */
  private static Reply cliReply(DbtCloudCli cli, String... arguments) {
    DbtCloudCli.Result result = cli.run(arguments);
    assertThat(result.exitCode()).as(result.toString()).isZero();
    return new Reply(result.toString(), 200, "application/json", result.stdout());
  }
}
