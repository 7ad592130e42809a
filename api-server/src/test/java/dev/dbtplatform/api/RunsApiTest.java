package dev.dbtplatform.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbtplatform.api.ApiTestHarness.Response;
import dev.dbtplatform.api.ApiTestHarness.Tenant;
import dev.dbtplatform.api.db.AuditLog;
import dev.dbtplatform.contract.ObjectKeys;
import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.crd.DbtJob;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunSpec;
import dev.dbtplatform.crd.DbtRunStatus;
import dev.dbtplatform.crd.ObjectRef;
import dev.dbtplatform.crd.ResolvedRun;
import dev.dbtplatform.crd.RunLogs;
import dev.dbtplatform.crd.RunPhase;
import dev.dbtplatform.crd.RunStepStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The run endpoints as clients use them: trigger with dbt Cloud's body, poll, list with filters,
 * cancel, retry, rerun, logs and artifacts. The operator's part is played by writing DbtRun status
 * the way the operator does, and handing the run to the history recorder.
 */
class RunsApiTest {
  static final ApiTestHarness api = ApiTestHarness.shared();
  static Tenant t;
  static long projectId;
  static long environmentId;
  static long jobId;
  static String bucket;

  @BeforeAll
  static void setUp() {
    t = api.newAccount("Runs");
    projectId = api.createProject(t, "Shop").get("id").asLong();
    environmentId = api.createEnvironment(t, projectId, "Production").get("id").asLong();
    jobId = api.createJob(t, environmentId, "Nightly", "dbt seed", "dbt build").get("id").asLong();
    bucket = api.objectStore().newBucket();
  }

  KubernetesClient k8s() {
    return api.kubernetes();
  }

  DbtRun dbtRun(long runId) {
    return k8s().resources(DbtRun.class).inNamespace(t.namespace()).withName("run-" + runId).get();
  }

  JsonNode trigger(Object body) {
    return api.post(t, t.v2() + "/jobs/" + jobId + "/run/", body).expect(200).data();
  }

  /** Writes status as the operator would at the end of a run, with logs and artifacts flushed. */
  void finish(long runId, RunPhase phase, String reason, String... stepStatuses) {
    finish(runId, phase, reason, List.of("git clone", "write profiles.yml", "dbt seed", "dbt build"), stepStatuses);
  }

  void finish(long runId, RunPhase phase, String reason, List<String> commands, String... stepStatuses) {
    DbtRun run = dbtRun(runId);
    String prefix = ObjectKeys.runPrefix("", Long.toString(t.id()), t.namespace(), run.getMetadata().getName(),
        run.getMetadata().getUid());
    DbtRunStatus s = status(run, phase);
    s.reason = reason;
    s.message = phase == RunPhase.Failed ? "step 4 failed: dbt build exited 1" : "all steps succeeded";
    Instant started = Instant.now().minusSeconds(75);
    s.startedAt = started.toString();
    s.finishedAt = started.plusSeconds(65).toString();
    s.queuedSeconds = 1.5;
    s.prepSeconds = 2.0;
    s.runSeconds = 65.0;
    s.gitSha = "0123456789abcdef0123456789abcdef01234567";
    s.gitBranch = "main";
    for (int i = 0; i < stepStatuses.length; i++) {
      RunStepStatus step = new RunStepStatus();
      step.index = i + 1;
      step.command = commands.get(i);
      step.name = "Invoke dbt with `" + commands.get(i) + "`";
      step.status = stepStatuses[i];
      step.startedAt = started.plusSeconds(i * 10L).toString();
      step.finishedAt = started.plusSeconds(i * 10L + 9).toString();
      s.steps.add(step);
      if (!"Skipped".equals(stepStatuses[i])) {
        api.objectStore().put(bucket, ObjectKeys.stepLog(prefix, i + 1), "log of step " + (i + 1) + "\nDone.\n");
      }
    }
    api.objectStore().put(bucket, ObjectKeys.stepArtifact(prefix, 3, "run_results.json"), "{\"step\": 3}");
    api.objectStore().put(bucket, ObjectKeys.stepArtifact(prefix, 4, "run_results.json"), "{\"results\": [1, 2]}");
    api.objectStore().put(bucket, ObjectKeys.stepArtifact(prefix, 4, "manifest.json"), "{\"nodes\": {}}");
    api.objectStore().put(bucket, ObjectKeys.stepArtifact(prefix, 3, "compiled/shop/models/orders.sql"), "select 1");
    s.logs = new RunLogs();
    s.logs.bucket = bucket;
    s.logs.prefix = prefix;
    s.logs.location = "s3://" + bucket + "/" + prefix;
    s.logs.flushedAt = Instant.now().toString();
    run.setStatus(s);
    k8s().resource(run).updateStatus();
    api.recordRun(t.namespace(), run.getMetadata().getName());
  }

  void advance(long runId, RunPhase phase) {
    DbtRun run = dbtRun(runId);
    DbtRunStatus s = status(run, phase);
    if (phase == RunPhase.Running) {
      s.startedAt = Instant.now().toString();
    }
    run.setStatus(s);
    k8s().resource(run).updateStatus();
    api.recordRun(t.namespace(), run.getMetadata().getName());
  }

  private static DbtRunStatus status(DbtRun run, RunPhase phase) {
    DbtRunStatus s = run.getStatus() == null ? new DbtRunStatus() : run.getStatus();
    s.phase = phase;
    if (s.resolved == null) {
      s.resolved = new ResolvedRun();
      s.resolved.jobName = run.getSpec().jobRef.name;
      s.resolved.environmentName = "production";
      s.resolved.steps = run.getSpec().steps.isEmpty() ? List.of("dbt seed", "dbt build") : run.getSpec().steps;
      s.resolved.runReason = run.getSpec().runReason;
    }
    return s;
  }

  @Test
  void triggerWithoutBodyWritesAQueuedRunReferencingTheJob() {
    JsonNode run = api.send("POST", t.v2() + "/jobs/" + jobId + "/run", "Token " + t.token(), null).expect(200).data();
    long id = run.get("id").asLong();
    assertThat(run.get("status").asInt()).isEqualTo(1);
    assertThat(run.get("status_humanized").asText()).isEqualTo("Queued");
    assertThat(run.get("job_definition_id").asLong()).isEqualTo(jobId);
    assertThat(run.get("job_id").asLong()).isEqualTo(jobId);
    assertThat(run.get("account_id").asLong()).isEqualTo(t.id());
    assertThat(run.get("environment_id").asLong()).isEqualTo(environmentId);
    assertThat(run.get("project_id").asLong()).isEqualTo(projectId);
    assertThat(run.get("in_progress").asBoolean()).isTrue();
    assertThat(run.get("is_complete").asBoolean()).isFalse();
    assertThat(run.get("href").asText()).endsWith(t.v2() + "/runs/" + id + "/");

    DbtRun cr = dbtRun(id);
    assertThat(cr.getSpec().jobRef.name).isEqualTo(jobName());
    assertThat(cr.getSpec().steps).isEmpty();
    assertThat(cr.getSpec().runReason).isEqualTo("Triggered via API");
    assertThat(cr.getSpec().runReasonCategory).isEqualTo(DbtRunSpec.ReasonCategory.api);
    assertThat(cr.getMetadata().getLabels())
        .containsEntry(ApiGroup.RUN_ID_LABEL, Long.toString(id))
        .containsEntry(ApiGroup.JOB_ID_LABEL, Long.toString(jobId))
        .containsEntry(ApiGroup.ACCOUNT_ID_LABEL, Long.toString(t.id()))
        .containsEntry(ApiGroup.ENVIRONMENT_ID_LABEL, Long.toString(environmentId))
        .containsEntry(ApiGroup.PROJECT_ID_LABEL, Long.toString(projectId));

    // the recorder seeing the DbtRun updates the same history row, not a new one
    api.recordRun(t.namespace(), "run-" + id);
    Response got = api.get(t, t.v2() + "/runs/" + id + "/").expect(200);
    assertThat(got.data().get("id").asLong()).isEqualTo(id);
    assertThat(api.get(t, t.v2() + "/runs/?job_definition_id=" + jobId + "&limit=100").data())
        .filteredOn(r -> r.get("id").asLong() == id).hasSize(1);
  }

  @Test
  void triggerBodyOverridesReachTheDbtRunAndTheTriggerObject() {
    Map<String, Object> body = new HashMap<>();
    body.put("cause", "Airflow DAG nightly");
    body.put("git_sha", "abcdef1234567");
    body.put("git_branch", null);
    body.put("schema_override", "dbt_ci_42");
    body.put("dbt_version_override", null);
    body.put("threads_override", 8);
    body.put("target_name_override", "ci");
    body.put("generate_docs_override", false);
    body.put("timeout_seconds_override", 600);
    body.put("steps_override", List.of("dbt build --select state:modified+"));
    body.put("github_pull_request_id", 17);
    body.put("some_future_field", Map.of("x", 1));
    long id = trigger(body).get("id").asLong();

    DbtRunSpec spec = dbtRun(id).getSpec();
    assertThat(spec.steps).containsExactly("dbt build --select state:modified+");
    assertThat(spec.threads).isEqualTo(8);
    assertThat(spec.target).isEqualTo("ci");
    assertThat(spec.schema).isEqualTo("dbt_ci_42");
    assertThat(spec.timeoutSeconds).isEqualTo(600L);
    assertThat(spec.git.ref).isEqualTo("abcdef1234567");
    assertThat(spec.runReason).isEqualTo("Airflow DAG nightly");

    JsonNode trigger = api.get(t, t.v2() + "/runs/" + id + "/?include_related=trigger").expect(200).data().get("trigger");
    assertThat(trigger.get("cause").asText()).isEqualTo("Airflow DAG nightly");
    assertThat(trigger.get("schema_override").asText()).isEqualTo("dbt_ci_42");
    assertThat(trigger.get("threads_override").asInt()).isEqualTo(8);
    assertThat(trigger.get("steps_override").get(0).asText()).isEqualTo("dbt build --select state:modified+");
    assertThat(trigger.get("git_branch").isNull()).isTrue();
  }

  @Test
  void badTriggersAreRefusedWithTheEnvelopeAndNoRunIsLeftBehind() {
    long before = api.get(t, t.v2() + "/runs/").totalCount();
    String path = t.v2() + "/jobs/" + jobId + "/run/";
    api.post(t, path, "{not json").expectError(400, "not valid JSON");
    api.post(t, path, "[1, 2]").expectError(400, "JSON object");
    api.post(t, path, Map.of("threads_override", "eight")).expectError(400, "threads_override");
    api.post(t, path, Map.of("threads_override", 65)).expectError(400, "threads_override", "between 1 and 64");
    api.post(t, path, Map.of("steps_override", List.of("rm -rf /"))).expectError(400, "dbt command");
    api.post(t, path, Map.of("steps_override", List.of())).expectError(400, "steps_override");
    api.post(t, path, Map.of("schema_override", "drop table; --")).expectError(400, "schema_override");
    api.post(t, path, Map.of("git_sha", "not-a-sha")).expectError(400, "git_sha");
    api.post(t, path, Map.of("cause", "x".repeat(300))).expectError(400, "cause");
    api.post(t, path, "x".repeat(2 * 1024 * 1024)).expectError(413, "larger than");
    api.post(t, t.v2() + "/jobs/999999/run/", Map.of()).expectError(404, "Job 999999 was not found");
    api.post(t, t.v2() + "/jobs/abc/run/", Map.of()).expectError(400, "job id");
    assertThat(api.get(t, t.v2() + "/runs/").totalCount()).isEqualTo(before);
  }

  @Test
  void anotherAccountCannotTriggerSeeCancelOrRetryThisAccountsRuns() {
    Tenant other = api.other();
    long id = trigger(Map.of()).get("id").asLong();
    api.post(other, other.v2() + "/jobs/" + jobId + "/run/", Map.of()).expectError(404, "Job " + jobId + " was not found");
    api.post(other, t.v2() + "/jobs/" + jobId + "/run/", Map.of()).expectError(404);
    api.get(other, other.v2() + "/runs/" + id + "/").expectError(404, "Run " + id + " was not found");
    api.get(other, t.v2() + "/runs/" + id + "/").expectError(404);
    api.post(other, other.v2() + "/runs/" + id + "/cancel/", null).expectError(404);
    api.post(other, other.v2() + "/runs/" + id + "/retry/", null).expectError(404);
    api.get(other, other.v2() + "/runs/" + id + "/artifacts/").expectError(404);
    assertThat(api.get(other, other.v2() + "/runs/").data()).noneMatch(r -> r.get("id").asLong() == id);
    assertThat(dbtRun(id).getSpec().isCancelRequested()).isFalse();
  }

  @Test
  void aFinishedRunShowsStatusDurationsStepsWithLogsAndArtifacts() {
    long id = trigger(Map.of()).get("id").asLong();
    advance(id, RunPhase.Starting);
    assertThat(api.get(t, t.v2() + "/runs/" + id).data().get("status").asInt()).isEqualTo(2);
    advance(id, RunPhase.Running);
    JsonNode running = api.get(t, t.v2() + "/runs/" + id + "?include_related=run_steps").data();
    assertThat(running.get("status").asInt()).isEqualTo(3);
    assertThat(running.get("status_humanized").asText()).isEqualTo("Running");
    assertThat(running.get("run_steps")).hasSize(2); // the steps to come, from the resolved job
    assertThat(running.get("run_steps").get(0).get("status_humanized").asText()).isEqualTo("Queued");

    finish(id, RunPhase.Succeeded, "Succeeded", "Succeeded", "Succeeded", "Succeeded", "Succeeded");
    JsonNode run = api.get(t, t.v2() + "/runs/" + id + "/?include_related=run_steps,trigger,job,environment").data();
    assertThat(run.get("status").asInt()).isEqualTo(10);
    assertThat(run.get("status_humanized").asText()).isEqualTo("Success");
    assertThat(run.get("is_complete").asBoolean()).isTrue();
    assertThat(run.get("is_success").asBoolean()).isTrue();
    assertThat(run.get("is_error").asBoolean()).isFalse();
    assertThat(run.get("is_cancelled").asBoolean()).isFalse();
    assertThat(run.get("in_progress").asBoolean()).isFalse();
    assertThat(run.get("artifacts_saved").asBoolean()).isTrue();
    assertThat(run.get("git_sha").asText()).isEqualTo("0123456789abcdef0123456789abcdef01234567");
    assertThat(run.get("git_branch").asText()).isEqualTo("main");
    assertThat(run.get("run_duration").asText()).isEqualTo("00:01:05");
    assertThat(run.get("duration").asText()).matches("\\d\\d:\\d\\d:\\d\\d");
    assertThat(run.get("queued_duration").asText()).matches("\\d\\d:\\d\\d:\\d\\d");
    assertThat(run.get("finished_at").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00");
    assertThat(run.get("can_retry").asBoolean()).isFalse();
    assertThat(run.get("job").get("id").asLong()).isEqualTo(jobId);
    assertThat(run.get("environment").get("id").asLong()).isEqualTo(environmentId);
    assertThat(run.get("trigger").get("cause").asText()).isEqualTo("Triggered via API");
    JsonNode steps = run.get("run_steps");
    assertThat(steps).hasSize(4);
    assertThat(steps.get(3).get("index").asInt()).isEqualTo(4);
    assertThat(steps.get(3).get("status").asInt()).isEqualTo(10);
    assertThat(steps.get(3).get("name").asText()).isEqualTo("Invoke dbt with `dbt build`");
    assertThat(steps.get(3).get("logs").asText()).isEqualTo("log of step 4\nDone.\n");
    assertThat(steps.get(3).get("debug_logs").asText()).isEmpty();
    assertThat(steps.get(3).get("duration").asText()).isEqualTo("00:00:09");

    JsonNode withDebug = api.get(t, t.v2() + "/runs/" + id + "/?include_related=debug_logs").data();
    assertThat(withDebug.get("run_steps").get(0).get("debug_logs").asText()).contains("log of step 1");

    assertThat(api.get(t, t.v2() + "/runs/" + id + "/artifacts/").expect(200).data())
        .extracting(JsonNode::asText).containsExactly("manifest.json", "run_results.json");
    assertThat(api.get(t, t.v2() + "/runs/" + id + "/artifacts/?step=3").expect(200).data())
        .extracting(JsonNode::asText).containsExactly("compiled/shop/models/orders.sql", "run_results.json");
    var raw = api.send("GET", t.v2() + "/runs/" + id + "/artifacts/run_results.json", "Token " + t.token(), null);
    assertThat(raw.raw()).isEqualTo("{\"results\": [1, 2]}");
    assertThat(api.send("GET", t.v2() + "/runs/" + id + "/artifacts/run_results.json?step=3", "Bearer " + t.token(), null)
        .raw()).isEqualTo("{\"step\": 3}");
    assertThat(api.send("GET", t.v2() + "/runs/" + id + "/artifacts/compiled/shop/models/orders.sql", "Token " + t.token(),
        null).raw()).isEqualTo("select 1");
    api.get(t, t.v2() + "/runs/" + id + "/artifacts/catalog.json").expectError(404, "catalog.json");
    api.get(t, t.v2() + "/runs/" + id + "/artifacts/a/../../x.json").expect(400);
    api.get(t, t.v2() + "/runs/" + id + "/artifacts/run_results.json?step=0").expectError(400, "step");

    // the job's artifacts come from its latest successful run
    assertThat(api.send("GET", t.v2() + "/jobs/" + jobId + "/artifacts/manifest.json", "Token " + t.token(), null).raw())
        .isEqualTo("{\"nodes\": {}}");

    // history outlives the custom resource
    k8s().resource(dbtRun(id)).delete();
    assertThat(api.get(t, t.v2() + "/runs/" + id + "/").expect(200).data().get("status").asInt()).isEqualTo(10);
  }

  @Test
  void aFinishedRunShowsAsRunningUntilItsArtifactsAreSavedButNotForever() {
    long id = trigger(Map.of()).get("id").asLong();
    DbtRun run = dbtRun(id);
    DbtRunStatus s = status(run, RunPhase.Succeeded);
    s.reason = "Succeeded";
    s.startedAt = Instant.now().minusSeconds(30).toString();
    s.finishedAt = Instant.now().toString();
    s.volumeName = run.getMetadata().getName() + "-workspace"; // logs on it, waiting for the flush
    run.setStatus(s);
    k8s().resource(run).updateStatus();
    api.recordRun(t.namespace(), run.getMetadata().getName());
    JsonNode saving = api.get(t, t.v2() + "/runs/" + id + "/").data();
    assertThat(saving.get("status").asInt()).isEqualTo(3);
    assertThat(saving.get("in_progress").asBoolean()).isTrue();
    assertThat(saving.get("is_complete").asBoolean()).isFalse();
    assertThat(saving.get("finished_at").isNull()).isTrue();

    finish(id, RunPhase.Succeeded, "Succeeded", "Succeeded", "Succeeded", "Succeeded", "Succeeded");
    assertThat(api.get(t, t.v2() + "/runs/" + id + "/").data().get("status").asInt()).isEqualTo(10);

    // a run cancelled before it got a volume has nothing to save: complete at once
    long early = trigger(Map.of()).get("id").asLong();
    advance(early, RunPhase.Cancelled);
    DbtRun cancelled = dbtRun(early);
    cancelled.getStatus().finishedAt = Instant.now().toString();
    k8s().resource(cancelled).updateStatus();
    api.recordRun(t.namespace(), cancelled.getMetadata().getName());
    assertThat(api.get(t, t.v2() + "/runs/" + early + "/").data().get("status").asInt()).isEqualTo(30);

    // an object store down for longer than the grace leaves the run complete, without artifacts
    long stuck = trigger(Map.of()).get("id").asLong();
    DbtRun old = dbtRun(stuck);
    DbtRunStatus os = status(old, RunPhase.Failed);
    os.reason = "StepFailed";
    os.finishedAt = Instant.now().minusSeconds(600).toString();
    os.volumeName = old.getMetadata().getName() + "-workspace";
    old.setStatus(os);
    k8s().resource(old).updateStatus();
    api.recordRun(t.namespace(), old.getMetadata().getName());
    JsonNode failed = api.get(t, t.v2() + "/runs/" + stuck + "/").data();
    assertThat(failed.get("status").asInt()).isEqualTo(20);
    assertThat(failed.get("artifacts_saved").asBoolean()).isFalse();
  }

  @Test
  void cancelAsksTheOperatorToStopARunAndLeavesAFinishedRunAsItIs() {
    long id = trigger(Map.of()).get("id").asLong();
    advance(id, RunPhase.Running);
    JsonNode answered = api.post(t, t.v2() + "/runs/" + id + "/cancel/", null).expect(200).data();
    assertThat(answered.get("id").asLong()).isEqualTo(id);
    assertThat(dbtRun(id).getSpec().isCancelRequested()).isTrue();
    advance(id, RunPhase.Cancelled);
    JsonNode cancelled = api.get(t, t.v2() + "/runs/" + id + "/").data();
    assertThat(cancelled.get("status").asInt()).isEqualTo(30);
    assertThat(cancelled.get("is_cancelled").asBoolean()).isTrue();

    long done = trigger(Map.of()).get("id").asLong();
    finish(done, RunPhase.Succeeded, "Succeeded", "Succeeded", "Succeeded", "Succeeded", "Succeeded");
    assertThat(api.post(t, t.v2() + "/runs/" + done + "/cancel", null).expect(200).data().get("status").asInt())
        .isEqualTo(10);
    assertThat(dbtRun(done).getSpec().isCancelRequested()).isFalse();
  }

  @Test
  void retryAndRerunStartFromTheFailedStep() {
    long failed = trigger(Map.of("threads_override", 2)).get("id").asLong();
    finish(failed, RunPhase.Failed, "StepFailed", "Succeeded", "Succeeded", "Succeeded", "Failed");
    JsonNode run = api.get(t, t.v2() + "/runs/" + failed + "/").data();
    assertThat(run.get("status").asInt()).isEqualTo(20);
    assertThat(run.get("is_error").asBoolean()).isTrue();
    assertThat(run.get("can_retry").asBoolean()).isTrue();
    assertThat(run.get("status_message").asText()).contains("StepFailed");

    JsonNode retry = api.post(t, t.v2() + "/runs/" + failed + "/retry/", null).expect(200).data();
    DbtRunSpec retrySpec = dbtRun(retry.get("id").asLong()).getSpec();
    assertThat(retrySpec.steps).containsExactly("dbt build");
    assertThat(retrySpec.threads).isEqualTo(2);
    assertThat(retrySpec.runReasonCategory).isEqualTo(DbtRunSpec.ReasonCategory.retry);

    // the latest run of the job is now the retry, still queued: a rerun runs the whole job
    JsonNode rerun = api.post(t, t.v2() + "/jobs/" + jobId + "/rerun/", null).expect(200).data();
    assertThat(dbtRun(rerun.get("id").asLong()).getSpec().steps).isEmpty();
    finish(rerun.get("id").asLong(), RunPhase.Failed, "StepFailed", "Succeeded", "Succeeded", "Failed", "Skipped");
    JsonNode fromFailed = api.post(t, t.v2() + "/jobs/" + jobId + "/rerun", null).expect(200).data();
    assertThat(dbtRun(fromFailed.get("id").asLong()).getSpec().steps).containsExactly("dbt seed", "dbt build");

    long succeeded = trigger(Map.of()).get("id").asLong();
    finish(succeeded, RunPhase.Succeeded, "Succeeded", "Succeeded", "Succeeded", "Succeeded", "Succeeded");
    api.post(t, t.v2() + "/runs/" + succeeded + "/retry/", null).expectError(409, "cannot be retried");
  }

  @Test
  void checkboxStepsFollowTheTriggerAndARetryRunsOnlyTheStepsLeft() {
    long id = trigger(Map.of("generate_docs_override", true)).get("id").asLong();
    assertThat(dbtRun(id).getSpec().generateDocs).isTrue();
    assertThat(dbtRun(id).getSpec().runGenerateSources).as("as the job says").isNull();
    assertThat(dbtRun(trigger(Map.of()).get("id").asLong()).getSpec().generateDocs).isNull();

    // freshness (a checkbox step) failed without ending the run; dbt build ended it; docs never ran
    finish(id, RunPhase.Failed, "StepFailed", List.of("git clone", "write profiles.yml", "dbt source freshness",
        "dbt build", "dbt docs generate"), "Succeeded", "Succeeded", "Failed", "Failed", "Skipped");
    JsonNode retry = api.post(t, t.v2() + "/runs/" + id + "/retry/", null).expect(200).data();

    DbtRunSpec spec = dbtRun(retry.get("id").asLong()).getSpec();
    assertThat(spec.steps).containsExactly("dbt build", "dbt docs generate");
    assertThat(spec.generateDocs).as("the docs step is among the steps left").isFalse();
    assertThat(spec.runGenerateSources).isFalse();
  }

  @Test
  void suspendedJobsAndJobsClosedToTheApiRefuseTriggers() {
    long suspended = api.createJob(t, environmentId, "Paused", "dbt build").get("id").asLong();
    String name = k8s().resources(DbtJob.class).inNamespace(t.namespace()).list().getItems().stream()
        .filter(j -> Long.toString(suspended).equals(j.getMetadata().getLabels().get(ApiGroup.JOB_ID_LABEL)))
        .findFirst().orElseThrow().getMetadata().getName();
    k8s().resources(DbtJob.class).inNamespace(t.namespace()).withName(name).edit(j -> {
      j.getSpec().suspend = true;
      return j;
    });
    api.post(t, t.v2() + "/jobs/" + suspended + "/run/", Map.of()).expectError(409, "deactivated");
  }

  @Test
  void listFiltersOrdersAndPages() {
    Tenant own = api.newAccount("Listing");
    long project = api.createProject(own, "P").get("id").asLong();
    long env = api.createEnvironment(own, project, "E").get("id").asLong();
    long jobA = api.createJob(own, env, "A").get("id").asLong();
    long jobB = api.createJob(own, env, "B").get("id").asLong();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(api.post(own, own.v2() + "/jobs/" + (i < 3 ? jobA : jobB) + "/run/", Map.of()).expect(200).data()
          .get("id").asLong());
    }
    String base = own.v2() + "/runs/";
    Response all = api.get(own, base).expect(200);
    assertThat(all.totalCount()).isEqualTo(5);
    assertThat(all.body().at("/extra/pagination/count").asInt()).isEqualTo(5);
    assertThat(all.data()).extracting(r -> r.get("id").asLong()).containsExactlyElementsOf(ids);
    assertThat(api.get(own, base + "?order_by=-id").data()).extracting(r -> r.get("id").asLong())
        .containsExactlyElementsOf(reversed(ids));
    Response page = api.get(own, base + "?order_by=-created_at&limit=2&offset=1").expect(200);
    assertThat(page.data()).hasSize(2);
    assertThat(page.totalCount()).isEqualTo(5);
    assertThat(page.body().at("/extra/pagination/count").asInt()).isEqualTo(2);
    assertThat(page.body().at("/extra/filters/limit").asInt()).isEqualTo(2);
    assertThat(page.body().at("/extra/order_by").asText()).isEqualTo("-created_at");
    assertThat(api.get(own, base + "?job_definition_id=" + jobB).totalCount()).isEqualTo(2);
    assertThat(api.get(own, base + "?project_id=" + project + "&environment_id=" + env).totalCount()).isEqualTo(5);
    assertThat(api.get(own, base + "?project_id=999999").totalCount()).isZero();
    assertThat(api.get(own, base + "?status=1").totalCount()).isEqualTo(5);
    assertThat(api.get(own, base + "?status=10").totalCount()).isZero();
    for (String form : List.of("status__in=1&status__in=10", "status__in=1,10", "status__in=" + enc("[1,10]"),
        "status__in=" + enc("['1', '10']"))) {
      assertThat(api.get(own, base + "?" + form).expect(200).totalCount()).as(form).isEqualTo(5);
    }
    String today = Instant.now().truncatedTo(ChronoUnit.DAYS).toString().substring(0, 10);
    assertThat(api.get(own, base + "?finished_at__range=" + enc("[\"2000-01-01\", \"" + today + "\"]")).expect(200)
        .totalCount()).isZero(); // none finished
    api.get(own, base + "?limit=0").expectError(400, "limit");
    api.get(own, base + "?limit=101").expectError(400, "limit");
    api.get(own, base + "?offset=-1").expectError(400, "offset");
    api.get(own, base + "?order_by=name").expectError(400, "order_by");
    api.get(own, base + "?status=7").expectError(400, "status");
    api.get(own, base + "?job_definition_id=x").expectError(400, "job_definition_id");
    api.get(own, base + "?finished_at__range=" + enc("[\"yesterday\"]")).expectError(400, "finished_at__range");
    api.get(own, base + "?include_related=everything").expectError(400, "include_related");
  }

  @ParameterizedTest
  @ValueSource(strings = {"include_related=job&include_related=trigger", "include_related=job,trigger",
      "include_related=[\"job\",\"trigger\"]", "include_related=['job', 'trigger']"})
  void includeRelatedInEveryFormClientsSend(String query) {
    long id = trigger(Map.of()).get("id").asLong();
    String q = query.substring(0, query.indexOf('=') + 1) + enc(query.substring(query.indexOf('=') + 1))
        .replace("%26include_related%3D", "&include_related=");
    JsonNode run = api.get(t, t.v2() + "/runs/" + id + "/?" + q).expect(200).data();
    assertThat(run.get("job").get("id").asLong()).as(query).isEqualTo(jobId);
    assertThat(run.get("trigger").get("cause").asText()).as(query).isEqualTo("Triggered via API");
    JsonNode listed = api.get(t, t.v2() + "/runs/?job_definition_id=" + jobId + "&order_by=-id&limit=1&" + q).data().get(0);
    assertThat(listed.get("job").get("name").asText()).isEqualTo("Nightly");
  }

  @Test
  void writesAreAudited() {
    long id = trigger(Map.of("cause", "audit me")).get("id").asLong();
    List<AuditLog.Entry> entries = new AuditLog(api.db()).recent(t.id(), 20);
    assertThat(entries).anySatisfy(e -> {
      assertThat(e.method()).isEqualTo("POST");
      assertThat(e.path()).isEqualTo(t.v2() + "/jobs/" + jobId + "/run/");
      assertThat(e.statusCode()).isEqualTo(200);
      assertThat(e.objectKind()).isEqualTo("run");
      assertThat(e.objectId()).isEqualTo(id);
    });
  }

  @Test
  void aRunCreatedWithKubectlAppearsInHistoryWithAnId() {
    DbtRunSpec spec = new DbtRunSpec();
    spec.jobRef = ObjectRef.named(jobName());
    k8s().resource(new DbtRun(t.namespace(), "by-hand", spec)).create();
    api.recordRun(t.namespace(), "by-hand");
    JsonNode run = api.get(t, t.v2() + "/runs/?job_definition_id=" + jobId + "&order_by=-id&limit=1").data().get(0);
    assertThat(run.get("trigger_id").asLong()).isEqualTo(run.get("id").asLong());
    assertThat(run.get("kubernetes").get("name").asText()).isEqualTo("by-hand");
    assertThat(run.get("status").asInt()).isEqualTo(1);
  }

  private static String jobName() {
    return api.kubernetes().resources(DbtJob.class).inNamespace(t.namespace()).list().getItems().stream()
        .filter(j -> Long.toString(jobId).equals(j.getMetadata().getLabels().get(ApiGroup.JOB_ID_LABEL)))
        .findFirst().orElseThrow().getMetadata().getName();
  }

  private static List<Long> reversed(List<Long> ids) {
    List<Long> copy = new ArrayList<>(ids);
    java.util.Collections.reverse(copy);
    return copy;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
