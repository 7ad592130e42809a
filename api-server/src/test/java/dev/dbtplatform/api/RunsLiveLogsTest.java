package dev.dbtplatform.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbtplatform.api.ApiTestHarness.Tenant;
import dev.dbtplatform.contract.RunPod;
import dev.dbtplatform.contract.StepMarkers;
import dev.dbtplatform.contract.StepStatus;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunStatus;
import dev.dbtplatform.crd.ResolvedRun;
import dev.dbtplatform.crd.RunPhase;
import dev.dbtplatform.crd.RunStepStatus;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A run in progress shows its steps' status and logs live from its pod's log, which the
 * Kubernetes API stand-in serves; the operator's part is played by writing DbtRun status.
 */
class RunsLiveLogsTest {
  static final ApiTestHarness api = ApiTestHarness.shared();
  static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
  static Tenant t;
  static long jobId;

  @BeforeAll
  static void setUp() {
    t = api.newAccount("Live logs");
    long projectId = api.createProject(t, "Shop").get("id").asLong();
    long environmentId = api.createEnvironment(t, projectId, "Production").get("id").asLong();
    jobId = api.createJob(t, environmentId, "Hourly", "dbt seed", "dbt build").get("id").asLong();
  }

  /** A triggered run, Running with a pod as the operator would have it; answers the run's id. */
  static long runningRun(boolean withPod) {
    long id = api.post(t, t.v2() + "/jobs/" + jobId + "/run/", Map.of()).expect(200).data().get("id").asLong();
    String name = "run-" + id;
    DbtRun run = api.kubernetes().resources(DbtRun.class).inNamespace(t.namespace()).withName(name).get();
    DbtRunStatus s = new DbtRunStatus();
    s.phase = RunPhase.Running;
    s.startedAt = T0.toString();
    s.podName = name;
    s.resolved = new ResolvedRun();
    s.resolved.jobName = run.getSpec().jobRef.name;
    s.resolved.steps = List.of("dbt seed", "dbt build");
    s.resolved.adapterType = "postgres";
    run.setStatus(s);
    api.kubernetes().resource(run).updateStatus();
    if (withPod) {
      api.kubernetes().pods().resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(t.namespace())
          .endMetadata().withNewSpec().addNewContainer().withName(RunPod.CONTAINER).withImage("dbt-platform/run")
          .endContainer().endSpec().build()).create();
    }
    api.recordRun(t.namespace(), name);
    return id;
  }

  static void podWrote(long id, String... lines) {
    api.podOutput().set(t.namespace(), "run-" + id, RunPod.CONTAINER, String.join("\n", lines) + "\n");
  }

  static JsonNode steps(long id, String include) {
    return api.get(t, t.v2() + "/runs/" + id + "/?include_related=" + include).expect(200).data().get("run_steps");
  }

  @Test
  void aRunningRunShowsEachStartedStepWithItsLogSoFarAndTheRestQueued() {
    long id = runningRun(true);
    podWrote(id,
        "12:00:00  Run 1 of ns/run: 2 dbt command(s)",
        StepMarkers.started(1, 4, "Clone git repository", T0),
        "12:00:00  Cloning https://git.example.com/analytics.git at the default branch",
        StepMarkers.finished(1, 5, StepStatus.Succeeded, null, T0.plusSeconds(2)),
        StepMarkers.started(2, 5, "Create profile from connection postgres", T0.plusSeconds(2)),
        "12:00:02  Profile shop, target default",
        StepMarkers.finished(2, 5, StepStatus.Succeeded, null, T0.plusSeconds(3)),
        StepMarkers.started(3, 5, "Invoke dbt with `dbt deps`", T0.plusSeconds(3)),
        "12:00:04  Installed from version 1.3.0",
        StepMarkers.finished(3, 5, StepStatus.Succeeded, 0, T0.plusSeconds(9)),
        StepMarkers.started(4, 5, "Invoke dbt with `dbt seed`", T0.plusSeconds(9)),
        "12:00:10  Running with dbt=1.8.0",
        "12:00:12  1 of 3 START seed file shop.raw_customers");

    JsonNode run = api.get(t, t.v2() + "/runs/" + id + "/?include_related=run_steps").expect(200).data();
    JsonNode steps = run.get("run_steps");
    assertThat(StreamSupport.stream(steps.spliterator(), false)
        .map(s -> tuple(s.get("index").asInt(), s.get("name").asText(), s.get("status").asInt(),
            s.get("status_humanized").asText()))
        .toList()).containsExactly(
            tuple(1, "Clone git repository", 10, "Success"),
            tuple(2, "Create profile from connection postgres", 10, "Success"),
            tuple(3, "Invoke dbt with `dbt deps`", 10, "Success"),
            tuple(4, "Invoke dbt with `dbt seed`", 3, "Running"),
            tuple(5, "Invoke dbt with `dbt build`", 1, "Queued"));
    assertThat(steps.get(0).get("logs").asText())
        .isEqualTo("12:00:00  Cloning https://git.example.com/analytics.git at the default branch\n");
    assertThat(steps.get(3).get("logs").asText())
        .isEqualTo("12:00:10  Running with dbt=1.8.0\n12:00:12  1 of 3 START seed file shop.raw_customers\n");
    assertThat(steps.get(3).get("command").asText()).isEqualTo("dbt seed");
    assertThat(steps.get(3).get("started_at").asText()).startsWith("2025-03-01 12:00:09");
    assertThat(steps.get(3).get("finished_at").isNull()).isTrue();
    assertThat(steps.get(2).get("exit_code").asInt()).isZero();
    assertThat(steps.get(2).get("duration").asText()).isEqualTo("00:00:06");
    assertThat(steps.get(4).get("logs").asText()).isEmpty();
    assertThat(run.get("in_progress_step_index").asInt()).isEqualTo(4);

    // the log grows: the next request shows it
    podWrote(id,
        StepMarkers.started(4, 5, "Invoke dbt with `dbt seed`", T0.plusSeconds(9)),
        "12:00:12  1 of 3 START seed file shop.raw_customers",
        "12:00:20  Completed successfully",
        StepMarkers.finished(4, 5, StepStatus.Succeeded, 0, T0.plusSeconds(20)),
        StepMarkers.started(5, 5, "Invoke dbt with `dbt build`", T0.plusSeconds(20)));
    JsonNode later = steps(id, "debug_logs");
    assertThat(later.get(3).get("status_humanized").asText()).isEqualTo("Success");
    assertThat(later.get(3).get("debug_logs").asText()).endsWith("12:00:20  Completed successfully\n");
    assertThat(later.get(4).get("status_humanized").asText()).isEqualTo("Running");
    // the steps before the oldest output the log has succeeded, or a later one would not have run
    assertThat(later.get(0).get("status_humanized").asText()).isEqualTo("Success");
    assertThat(later.get(0).get("logs").asText()).contains("no longer in the pod log");
  }

  @Test
  void aPodLogThatCannotBeReadLeavesTheRunAsHistoryHasIt() {
    long noPod = runningRun(false);
    long notStarted = runningRun(true); // the pod exists, its container has written nothing yet

    for (long id : List.of(noPod, notStarted)) {
      JsonNode steps = steps(id, "run_steps");
      assertThat(StreamSupport.stream(steps.spliterator(), false)
          .map(s -> tuple(s.get("index").asInt(), s.get("command").asText(), s.get("status_humanized").asText()))
          .toList()).containsExactly(tuple(1, "dbt seed", "Queued"), tuple(2, "dbt build", "Queued"));
    }
  }

  @Test
  void aFinishedRunNoLongerReadsThePod() {
    long id = runningRun(true);
    podWrote(id, StepMarkers.started(1, 4, "Clone git repository", T0), "from the pod");
    DbtRun run = api.kubernetes().resources(DbtRun.class).inNamespace(t.namespace()).withName("run-" + id).get();
    run.getStatus().phase = RunPhase.Failed;
    run.getStatus().finishedAt = T0.plusSeconds(5).toString();
    RunStepStatus clone = new RunStepStatus();
    clone.index = 1;
    clone.name = "Clone git repository";
    clone.status = "Failed";
    run.getStatus().steps = List.of(clone);
    api.kubernetes().resource(run).updateStatus();
    api.recordRun(t.namespace(), "run-" + id);

    JsonNode steps = steps(id, "run_steps");
    assertThat(steps).hasSize(1);
    assertThat(steps.get(0).get("status_humanized").asText()).isEqualTo("Error");
    assertThat(steps.get(0).get("logs").asText()).isEmpty(); // not flushed to object storage yet
  }

  @Test
  void aRunJustFinishedBeforeHistoryCatchesUpKeepsShowingItsPodsSteps() {
    long id = runningRun(true);
    podWrote(id, StepMarkers.started(1, 4, "Clone git repository", T0), "from the pod",
        StepMarkers.finished(1, 4, StepStatus.Failed, 128, T0.plusSeconds(1)));
    DbtRun run = api.kubernetes().resources(DbtRun.class).inNamespace(t.namespace()).withName("run-" + id).get();
    run.getStatus().phase = RunPhase.Failed; // the operator's write, which the recorder has not seen yet
    api.kubernetes().resource(run).updateStatus();

    JsonNode steps = steps(id, "run_steps");
    assertThat(steps.get(0).get("status_humanized").asText()).isEqualTo("Error");
    assertThat(steps.get(0).get("logs").asText()).contains("from the pod");
  }

  @Test
  void withoutRunStepsAskedForThePodIsNotRead() {
    long id = runningRun(true);
    podWrote(id, StepMarkers.started(1, 4, "Clone git repository", T0));

    JsonNode run = api.get(t, t.v2() + "/runs/" + id + "/").expect(200).data();
    assertThat(run.get("run_steps")).isEmpty();
    assertThat(run.get("in_progress_step_index").isNull()).isTrue();
  }
}
