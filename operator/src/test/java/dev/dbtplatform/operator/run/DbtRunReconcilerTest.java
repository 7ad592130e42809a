package dev.dbtplatform.operator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbtplatform.contract.FlushReport;
import dev.dbtplatform.contract.Json;
import dev.dbtplatform.contract.RunConfig;
import dev.dbtplatform.contract.RunOutcome;
import dev.dbtplatform.contract.RunSummary;
import dev.dbtplatform.contract.RuntimeEnv;
import dev.dbtplatform.contract.StepResult;
import dev.dbtplatform.contract.StepStatus;
import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.crd.DbtEnvironment;
import dev.dbtplatform.crd.DbtEnvironmentSpec;
import dev.dbtplatform.crd.DbtJob;
import dev.dbtplatform.crd.DbtJobSpec;
import dev.dbtplatform.crd.DbtProject;
import dev.dbtplatform.crd.DbtProjectSpec;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunSpec;
import dev.dbtplatform.crd.EnvVarSpec;
import dev.dbtplatform.crd.GitSource;
import dev.dbtplatform.crd.ObjectRef;
import dev.dbtplatform.crd.RunPhase;
import dev.dbtplatform.crd.WarehouseConnection;
import dev.dbtplatform.embedded.EmbeddedKubernetes;
import dev.dbtplatform.operator.DbtPlatformOperator;
import dev.dbtplatform.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The DbtRun reconciler against the Kubernetes API stand-in, with pods moved along by a test
 * kubelet: the happy path and every way a run can go wrong.
 */
class DbtRunReconcilerTest {
  static final String NS = "default";
  static final AtomicInteger SEQ = new AtomicInteger();
  static final OperatorConfig CONFIG = OperatorConfig.defaults()
      .withObjectStore(new OperatorConfig.ObjectStore("http://127.0.0.1:9", "us-east-1", "runs", true, "",
          "dbt-platform-object-store", null, 5))
      .withTimings(Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofMillis(300), Duration.ofSeconds(2))
      .withMetricsPort(0);

  static EmbeddedKubernetes kubernetes;
  static KubernetesClient client;
  static DbtPlatformOperator operator;
  static TestKubelet kubelet;

  @BeforeAll
  static void start() {
    kubernetes = EmbeddedKubernetes.start();
    client = kubernetes.newClient();
    operator = DbtPlatformOperator.start(client, CONFIG, Clock.systemUTC());
    kubelet = new TestKubelet(client, NS);
    applyShop(client);
  }

  /** The project shop and its environment prod (account 7) that the runs here use. */
  static void applyShop(KubernetesClient client) {
    DbtProject project = new DbtProject();
    project.getMetadata().setName("shop");
    project.getMetadata().setNamespace(NS);
    project.setSpec(new DbtProjectSpec());
    project.getSpec().git = new GitSource();
    project.getSpec().git.url = "https://git.example.com/shop.git";
    project.getSpec().git.ref = "main";
    client.resource(project).create();
    DbtEnvironment env = new DbtEnvironment();
    env.getMetadata().setName("prod");
    env.getMetadata().setNamespace(NS);
    env.getMetadata().setLabels(java.util.Map.of(ApiGroup.ACCOUNT_ID_LABEL, "7"));
    env.setSpec(new DbtEnvironmentSpec());
    env.getSpec().projectRef = ObjectRef.named("shop");
    env.getSpec().warehouse = new WarehouseConnection("postgres", "warehouse-credentials");
    env.getSpec().targetName = "prod";
    env.getSpec().threads = 8;
    env.getSpec().env = List.of(new EnvVarSpec("DBT_REGION", "eu"));
    client.resource(env).create();
  }

  @AfterAll
  static void stop() {
    operator.close();
    client.close();
    kubernetes.close();
  }

  // ---- happy path ----------------------------------------------------------------------------

  @Test
  void runsToSucceededRecordsStepsFlushesLogsAndReleasesTheVolume() {
    String name = apply(run(spec()));
    Pod pod = awaitPod(name);

    assertRestrictedAndOwned(pod, name);
    RunConfig config = runConfigOf(pod);
    assertThat(config.gitUrl()).isEqualTo("https://git.example.com/shop.git");
    assertThat(config.gitRef()).isEqualTo("main");
    assertThat(config.target()).isEqualTo("prod");
    assertThat(config.threads()).isEqualTo(8);
    assertThat(config.accountId()).isEqualTo("7");
    assertThat(config.env()).containsEntry("DBT_REGION", "eu");
    assertThat(config.steps()).containsExactly("dbt seed", "dbt build");
    assertThat(awaitRun(name, r -> r.getStatus().phase == RunPhase.Starting).getStatus().queuedSeconds).isNotNull();

    kubelet.running(name);
    DbtRun running = awaitRun(name, r -> r.getStatus().phase == RunPhase.Running);
    assertThat(running.getStatus().startedAt).isNotNull();
    assertThat(running.getStatus().prepSeconds).isNotNull();

    kubelet.terminated(name, 0, summary(RunOutcome.Succeeded, null, StepStatus.Succeeded, StepStatus.Succeeded).toTerminationMessage());
    DbtRun done = awaitRun(name, r -> r.getStatus().phase == RunPhase.Succeeded);
    assertThat(done.getStatus().reason).isEqualTo("Succeeded");
    assertThat(done.getStatus().steps).extracting(s -> s.status).containsExactly("Succeeded", "Succeeded", "Succeeded", "Succeeded");
    assertThat(done.getStatus().steps.get(3).command).isEqualTo("dbt build");
    assertThat(done.getStatus().gitSha).isEqualTo("abc123");
    assertThat(done.getStatus().duration).isNotBlank();
    assertThat(condition(done, RunConditions.COMPLETE)).isEqualTo("True");

    String job = awaitFlushJob(name, 1);
    assertThat(client.persistentVolumeClaims().inNamespace(NS).withName(name + "-workspace").get())
        .as("the volume stays until the upload is confirmed").isNotNull();
    assertFlushJobShape(kubelet.job(job), name);
    kubelet.finishJob(job, true, flushReport(name, null).toTerminationMessage());

    DbtRun flushed = awaitRun(name, r -> r.getStatus().logs != null && r.getStatus().logs.flushedAt != null);
    assertThat(flushed.getStatus().logs.location).isEqualTo("s3://runs/accounts/7/namespaces/default/runs/" + name + "/"
        + flushed.getMetadata().getUid() + "/");
    assertThat(flushed.getStatus().logs.objects).isEqualTo(9);
    assertThat(flushed.getStatus().steps.get(3).logLocation).endsWith("/steps/4/logs.txt");
    assertThat(flushed.getStatus().steps.get(3).artifactsLocation).endsWith("/steps/4/artifacts/");
    assertThat(condition(flushed, RunConditions.LOGS_FLUSHED)).isEqualTo("True");
    await().until(() -> client.persistentVolumeClaims().inNamespace(NS).withName(name + "-workspace").get() == null);
    await().until(() -> kubelet.pod(name) == null);
    assertThat(kubelet.podsOfRun(name)).isZero();
    await().untilAsserted(() -> assertThat(eventReasons(name))
        .contains("Starting", "Running", "Succeeded", "Flushing", "Flushed"));
  }

  @Test
  void neverWritesTheSpec() {
    DbtRun applied = run(spec());
    String name = apply(applied);
    awaitPod(name);
    kubelet.running(name);
    kubelet.terminated(name, 0, summary(RunOutcome.Succeeded, null, StepStatus.Succeeded, StepStatus.Succeeded).toTerminationMessage());
    DbtRun done = awaitRun(name, r -> r.getStatus().phase == RunPhase.Succeeded);
    assertThat(Json.write(done.getSpec())).isEqualTo(Json.write(applied.getSpec()));
    assertThat(done.getMetadata().getGeneration()).isEqualTo(1L);
  }

  @Test
  void laterEditsToTheEnvironmentDoNotChangeARunInFlight() {
    DbtEnvironment env = new DbtEnvironment();
    env.getMetadata().setName("staging");
    env.getMetadata().setNamespace(NS);
    env.setSpec(new DbtEnvironmentSpec());
    env.getSpec().projectRef = ObjectRef.named("shop");
    env.getSpec().warehouse = new WarehouseConnection("postgres", "warehouse-credentials");
    env.getSpec().threads = 2;
    client.resource(env).create();
    DbtRunSpec spec = spec();
    spec.environmentRef = ObjectRef.named("staging");
    String name = apply(run(spec));
    DbtRun resolved = awaitRun(name, r -> r.getStatus().resolved != null);
    assertThat(resolved.getStatus().resolved.threads).isEqualTo(2);

    client.resources(DbtEnvironment.class).inNamespace(NS).withName("staging").edit(e -> {
      e.getSpec().threads = 16;
      return e;
    });
    kubelet.running(awaitPod(name).getMetadata().getName());
    DbtRun running = awaitRun(name, r -> r.getStatus().phase == RunPhase.Running);
    assertThat(running.getStatus().resolved.threads).isEqualTo(2);
    assertThat(runConfigOf(kubelet.pod(name)).threads()).isEqualTo(2);
  }

  // ---- runs of a job -------------------------------------------------------------------------

  @Test
  void aRunThatNamesOnlyAJobRunsTheJobsStepsInItsEnvironment() {
    DbtJobSpec job = jobSpec();
    job.threads = 3;
    client.resource(new DbtJob(NS, "nightly", job)).create();
    DbtRunSpec spec = new DbtRunSpec();
    spec.jobRef = ObjectRef.named("nightly");
    DbtRun run = run(spec);
    run.getMetadata().setLabels(java.util.Map.of(ApiGroup.JOB_ID_LABEL, "42"));
    String name = apply(run);

    RunConfig config = runConfigOf(awaitPod(name));
    assertThat(config.steps()).containsExactly("dbt seed", "dbt build");
    assertThat(config.jobId()).isEqualTo("42");
    assertThat(config.threads()).isEqualTo(3);
    assertThat(config.target()).as("from the job's environment").isEqualTo("prod");
    kubelet.running(name);
    kubelet.terminated(name, 0, summary(RunOutcome.Succeeded, null, StepStatus.Succeeded, StepStatus.Succeeded).toTerminationMessage());

    DbtRun done = awaitRun(name, r -> r.getStatus().phase == RunPhase.Succeeded);
    assertThat(done.getStatus().resolved.jobName).isEqualTo("nightly");
    assertThat(done.getStatus().resolved.environmentName).isEqualTo("prod");
    assertThat(done.getStatus().resolved.steps).containsExactly("dbt seed", "dbt build");
    assertThat(done.getStatus().steps).extracting(s -> s.command).containsExactly(null, null, "dbt seed", "dbt build");
    assertThat(messageOf(done, RunConditions.RESOLVED))
        .isEqualTo("resolved against DbtJob nightly, DbtEnvironment prod and DbtProject shop");
  }

  @Test
  void aJobAppliedShortlyAfterItsRunIsPickedUp() {
    DbtRunSpec spec = new DbtRunSpec();
    spec.jobRef = ObjectRef.named("late-job");
    String name = apply(run(spec));
    DbtRun waiting = awaitRun(name, r -> "ReferenceNotFound".equals(r.getStatus().reason));
    assertThat(waiting.getStatus().phase).isEqualTo(RunPhase.Queued);
    assertThat(waiting.getStatus().message).isEqualTo("DbtJob 'late-job' not found in namespace default");
    client.resource(new DbtJob(NS, "late-job", jobSpec())).create();
    assertThat(runConfigOf(awaitPod(name)).steps()).containsExactly("dbt seed", "dbt build");
  }

  // ---- queueing ------------------------------------------------------------------------------

  @Test
  void runsOfAJobRunOneAfterAnother() throws Exception {
    client.resource(new DbtJob(NS, "serial", jobSpec())).create();
    String first = apply(jobRun("serial", null));
    awaitPod(first);
    String second = apply(jobRun("serial", null));

    DbtRun waiting = awaitRun(second, r -> RunQueue.WAITING_FOR_PREVIOUS_RUN.equals(reasonOf(r, RunConditions.QUEUED)));
    assertThat(waiting.getStatus().phase).isEqualTo(RunPhase.Queued);
    assertThat(condition(waiting, RunConditions.QUEUED)).isEqualTo("True");
    assertThat(waiting.getStatus().reason).isEqualTo(RunQueue.WAITING_FOR_PREVIOUS_RUN);
    assertThat(waiting.getStatus().message)
        .isEqualTo("waiting for run " + first + " of job serial to go first: runs of a job run one at a time");
    Thread.sleep(1500);
    assertThat(kubelet.pod(second)).as("no pod while the first run has not ended").isNull();

    kubelet.running(first);
    awaitRun(first, r -> r.getStatus().phase == RunPhase.Running);
    assertThat(kubelet.pod(second)).isNull();
    kubelet.terminated(first, 0, summary(RunOutcome.Succeeded, null, StepStatus.Succeeded, StepStatus.Succeeded).toTerminationMessage());

    // Woken when the first run ends, long before the waiting run would look again by itself.
    await().atMost(Duration.ofSeconds(10)).until(() -> kubelet.pod(second) != null);
    assertThat(client.resources(DbtRun.class).inNamespace(NS).withName(first).get().getStatus().phase)
        .isEqualTo(RunPhase.Succeeded);
    DbtRun started = awaitRun(second, r -> r.getStatus().phase == RunPhase.Starting);
    assertThat(started.getStatus().reason).isNull();
    assertThat(started.getStatus().message).isEqualTo("pod " + second + " created");
    assertThat(started.getStatus().waitSeconds).isGreaterThanOrEqualTo(1.0)
        .isLessThanOrEqualTo(started.getStatus().queuedSeconds + 1);
    assertThat(condition(started, RunConditions.QUEUED)).isEqualTo("False");
    assertThat(reasonOf(started, RunConditions.QUEUED)).isEqualTo("Dequeued");
    DbtRun firstDone = client.resources(DbtRun.class).inNamespace(NS).withName(first).get();
    assertThat(firstDone.getStatus().waitSeconds).as("it never waited").isZero();
    assertThat(RunConditions.find(firstDone.getStatus(), RunConditions.QUEUED)).isNull();
    assertThat(metric("dbt_platform_run_wait_seconds_count")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aNewerScheduledRunSupersedesTheQueuedScheduledOneButNeverAnApiRun() {
    client.resource(new DbtJob(NS, "hourly", jobSpec())).create();
    String s1 = apply(jobRun("hourly", DbtRunSpec.ReasonCategory.scheduled));
    awaitPod(s1);
    String s2 = apply(jobRun("hourly", DbtRunSpec.ReasonCategory.scheduled));
    awaitRun(s2, r -> RunQueue.WAITING_FOR_PREVIOUS_RUN.equals(r.getStatus().reason));
    String api = apply(jobRun("hourly", DbtRunSpec.ReasonCategory.api));
    awaitRun(api, r -> RunQueue.WAITING_FOR_PREVIOUS_RUN.equals(r.getStatus().reason));

    String s3 = apply(jobRun("hourly", DbtRunSpec.ReasonCategory.scheduled));
    DbtRun superseded = awaitRun(s2, r -> r.getStatus().phase == RunPhase.Cancelled);
    assertThat(superseded.getStatus().reason).isEqualTo(RunQueue.SUPERSEDED);
    assertThat(superseded.getStatus().message).isEqualTo(
        "superseded by the newer scheduled run " + s3 + " of job hourly before it started");
    assertThat(superseded.getStatus().podName).isNull();
    assertThat(reasonOf(superseded, RunConditions.QUEUED)).isEqualTo(RunQueue.SUPERSEDED);
    assertThat(superseded.getStatus().waitSeconds).isNotNull();
    assertThat(superseded.getSpec().cancel).as("status only: the spec is not touched").isNull();
    DbtRun waitingS3 = awaitRun(s3, r -> RunQueue.WAITING_FOR_PREVIOUS_RUN.equals(r.getStatus().reason));
    assertThat(waitingS3.getStatus().message).contains(s1);
    assertThat(client.resources(DbtRun.class).inNamespace(NS).withName(api).get().getStatus().phase)
        .as("an API run is never superseded").isEqualTo(RunPhase.Queued);
    await().untilAsserted(() -> assertThat(eventReasons(s2)).contains("Cancelled"));

    // The API run, queued before s3, goes next; then s3.
    kubelet.running(s1);
    kubelet.terminated(s1, 0, summary(RunOutcome.Succeeded, null, StepStatus.Succeeded, StepStatus.Succeeded).toTerminationMessage());
    await().atMost(Duration.ofSeconds(10)).until(() -> kubelet.pod(api) != null);
    assertThat(kubelet.pod(s3)).isNull();
    assertThat(awaitRun(s3, r -> r.getStatus().message != null && r.getStatus().message.contains(api))
        .getStatus().phase).isEqualTo(RunPhase.Queued);
    kubelet.running(api);
    kubelet.terminated(api, 0, summary(RunOutcome.Succeeded, null, StepStatus.Succeeded, StepStatus.Succeeded).toTerminationMessage());
    await().atMost(Duration.ofSeconds(10)).until(() -> kubelet.pod(s3) != null);
    assertThat(kubelet.podsOfRun(s2)).isZero();
  }

  @Test
  void runsWaitingWhileTheOperatorRestartsKeepTheirPlace() {
    client.resource(new DbtJob(NS, "restarted", jobSpec())).create();
    String first = apply(jobRun("restarted", null));
    awaitPod(first);
    String second = apply(jobRun("restarted", null));
    String third = apply(jobRun("restarted", null));
    String waitBegan = RunConditions.find(awaitRun(second, r -> QueueStatus.isWaiting(r.getStatus())).getStatus(),
        RunConditions.QUEUED).getLastTransitionTime();
    awaitRun(third, r -> QueueStatus.isWaiting(r.getStatus()));

    operator.close();
    Instant stopped = Instant.now();
    kubelet.running(first);
    kubelet.terminated(first, 0, summary(RunOutcome.Succeeded, null, StepStatus.Succeeded, StepStatus.Succeeded).toTerminationMessage());
    operator = DbtPlatformOperator.start(client, CONFIG, Clock.systemUTC());

    awaitRun(first, r -> r.getStatus().phase == RunPhase.Succeeded);
    DbtRun started = awaitRun(second, r -> r.getStatus().phase == RunPhase.Starting);
    assertThat(started.getStatus().waitSeconds).as("the wait counts from before the restart")
        .isGreaterThanOrEqualTo(Durations.secondsBetween(waitBegan, stopped.toString()));
    DbtRun stillWaiting = awaitRun(third, r -> r.getStatus().message.contains(second));
    assertThat(stillWaiting.getStatus().phase).isEqualTo(RunPhase.Queued);
    assertThat(kubelet.pod(third)).isNull();

    kubelet.running(second);
    kubelet.terminated(second, 0, summary(RunOutcome.Succeeded, null, StepStatus.Succeeded, StepStatus.Succeeded).toTerminationMessage());
    await().atMost(Duration.ofSeconds(10)).until(() -> kubelet.pod(third) != null);
    for (String run : List.of(first, second, third)) {
      assertThat(kubelet.podsOfRun(run)).isLessThanOrEqualTo(1);
    }
  }

  @Test
  void cancellingAWaitingRunEndsItWithoutAPod() {
    client.resource(new DbtJob(NS, "cancel-waiting", jobSpec())).create();
    String first = apply(jobRun("cancel-waiting", null));
    awaitPod(first);
    String second = apply(jobRun("cancel-waiting", null));
    awaitRun(second, r -> QueueStatus.isWaiting(r.getStatus()));
    client.resources(DbtRun.class).inNamespace(NS).withName(second).edit(r -> {
      r.getSpec().cancel = true;
      return r;
    });
    DbtRun cancelled = awaitRun(second, r -> r.getStatus().phase == RunPhase.Cancelled);
    assertThat(cancelled.getStatus().reason).isEqualTo("Cancelled");
    assertThat(reasonOf(cancelled, RunConditions.QUEUED)).isEqualTo("Cancelled");
    assertThat(cancelled.getStatus().waitSeconds).isNotNull();
    assertThat(kubelet.pod(second)).isNull();
  }

  // ---- failures ------------------------------------------------------------------------------

  @Test
  void aFailingStepFailsTheRunWithTheRuntimeReason() {
    String name = apply(run(spec()));
    awaitPod(name);
    kubelet.running(name);
    kubelet.terminated(name, RuntimeEnv.EXIT_STEP_FAILED,
        summary(RunOutcome.Failed, "Step 4 (dbt seed) failed", StepStatus.Failed, StepStatus.Skipped).toTerminationMessage());
    DbtRun failed = awaitRun(name, r -> r.getStatus().phase == RunPhase.Failed);
    assertThat(failed.getStatus().reason).isEqualTo("StepFailed");
    assertThat(failed.getStatus().message).contains("Step 4");
    assertThat(failed.getStatus().steps).extracting(s -> s.status).containsExactly("Succeeded", "Succeeded", "Failed", "Skipped");
    assertThat(condition(failed, RunConditions.FAILED)).isEqualTo("True");
    assertThat(awaitFlushJob(name, 1)).isNotNull();
  }

  @Test
  void aPodDeletedBySomeoneElseFailsTheRunAndStillFlushes() {
    String name = apply(run(spec()));
    awaitPod(name);
    kubelet.running(name);
    awaitRun(name, r -> r.getStatus().phase == RunPhase.Running);
    client.pods().inNamespace(NS).withName(name).delete();

    DbtRun failed = awaitRun(name, r -> r.getStatus().phase == RunPhase.Failed);
    assertThat(failed.getStatus().reason).isEqualTo("PodDeleted");
    assertThat(failed.getStatus().message).contains("deleted before the run finished");
    String job = awaitFlushJob(name, 1);
    // The steps come from the summary the runtime wrote on the volume when it got SIGTERM.
    kubelet.finishJob(job, true, flushReport(name,
        summary(RunOutcome.Cancelled, "terminated", StepStatus.Cancelled, StepStatus.Skipped)).toTerminationMessage());
    DbtRun flushed = awaitRun(name, r -> r.getStatus().logs != null && r.getStatus().logs.flushedAt != null);
    assertThat(flushed.getStatus().steps).extracting(s -> s.status).containsExactly("Succeeded", "Succeeded", "Cancelled", "Skipped");
    assertThat(kubelet.podsOfRun(name)).as("a deleted pod is never recreated").isZero();
  }

  @Test
  void aRestartedOperatorAdoptsTheRunInFlightWithoutASecondPod() {
    String name = apply(run(spec()));
    Pod first = awaitPod(name);
    kubelet.running(name);
    awaitRun(name, r -> r.getStatus().phase == RunPhase.Running);

    operator.close();
    operator = DbtPlatformOperator.start(client, CONFIG, Clock.systemUTC());
    touch(name);
    kubelet.terminated(name, 0, summary(RunOutcome.Succeeded, null, StepStatus.Succeeded, StepStatus.Succeeded).toTerminationMessage());
    DbtRun done = awaitRun(name, r -> r.getStatus().phase == RunPhase.Succeeded);
    assertThat(done.getStatus().podUid).isEqualTo(first.getMetadata().getUid());
    assertThat(awaitFlushJob(name, 1)).isNotNull();
    assertThat(client.batch().v1().jobs().inNamespace(NS).withLabel(ApiGroup.RUN_LABEL, name).list().getItems()).hasSize(1);
  }

  @Test
  void duplicateEventsNeverCreateASecondPod() {
    String name = apply(run(spec()));
    awaitPod(name);
    for (int i = 0; i < 10; i++) {
      touch(name);
    }
    kubelet.running(name);
    awaitRun(name, r -> r.getStatus().phase == RunPhase.Running);
    for (int i = 0; i < 5; i++) {
      touch(name);
    }
    assertThat(kubelet.podsOfRun(name)).isEqualTo(1);
    assertThat(client.persistentVolumeClaims().inNamespace(NS).withLabel(ApiGroup.RUN_LABEL, name).list().getItems()).hasSize(1);
  }

  @Test
  void cancelStopsThePodAndEndsCancelled() {
    String name = apply(run(spec()));
    awaitPod(name);
    kubelet.running(name);
    awaitRun(name, r -> r.getStatus().phase == RunPhase.Running);
    client.resources(DbtRun.class).inNamespace(NS).withName(name).edit(r -> {
      r.getSpec().cancel = true;
      return r;
    });
    DbtRun cancelled = awaitRun(name, r -> r.getStatus().phase == RunPhase.Cancelled);
    assertThat(cancelled.getStatus().reason).isEqualTo("Cancelled");
    await().until(() -> kubelet.pod(name) == null);
    assertThat(awaitFlushJob(name, 1)).isNotNull();
  }

  @Test
  void aVolumeWhoseStatusWriteWasLostIsStillFlushedAfterACancel() {
    String name = apply(run(spec()));
    awaitPod(name);
    awaitRun(name, r -> r.getStatus().volumeName != null);
    // the write that recorded the volume lost to a concurrent change, as a cancel right after the pod was made
    DbtRun lost = client.resources(DbtRun.class).inNamespace(NS).withName(name).get();
    lost.getStatus().volumeName = null;
    client.resource(lost).updateStatus();
    client.resources(DbtRun.class).inNamespace(NS).withName(name).edit(r -> {
      r.getSpec().cancel = true;
      return r;
    });
    awaitRun(name, r -> r.getStatus().phase == RunPhase.Cancelled);
    assertThat(awaitFlushJob(name, 1)).isNotNull();
    assertThat(awaitRun(name, r -> r.getStatus().volumeName != null).getStatus().volumeName)
        .isEqualTo(name + "-workspace");
  }

  @Test
  void aRunCancelledBeforeItStartsNeverGetsAPod() {
    DbtRunSpec spec = spec();
    spec.cancel = true;
    String name = apply(run(spec));
    DbtRun cancelled = awaitRun(name, r -> r.getStatus().phase == RunPhase.Cancelled);
    assertThat(cancelled.getStatus().podName).isNull();
    assertThat(kubelet.pod(name)).isNull();
  }

  @Test
  void aRunPastItsTimeoutIsStoppedAndFailsWithTimeout() {
    DbtRunSpec spec = spec();
    spec.timeoutSeconds = 1L;
    String name = apply(run(spec));
    awaitPod(name);
    kubelet.running(name);
    DbtRun failed = awaitRun(name, r -> r.getStatus().phase == RunPhase.Failed);
    assertThat(failed.getStatus().reason).isEqualTo("Timeout");
    assertThat(failed.getStatus().message).contains("timeout of 1s");
    await().until(() -> kubelet.pod(name) == null);
  }

  @Test
  void theRuntimesOwnTimeoutIsReportedAsTimeout() {
    DbtRunSpec spec = spec();
    spec.timeoutSeconds = 60L;
    String name = apply(run(spec));
    awaitPod(name);
    kubelet.running(name);
    kubelet.terminated(name, RuntimeEnv.EXIT_TIMED_OUT,
        summary(RunOutcome.TimedOut, "the run exceeded its timeout of 60s", StepStatus.TimedOut, StepStatus.Skipped).toTerminationMessage());
    DbtRun failed = awaitRun(name, r -> r.getStatus().phase == RunPhase.Failed);
    assertThat(failed.getStatus().reason).isEqualTo("Timeout");
    assertThat(failed.getStatus().steps.get(2).status).isEqualTo("TimedOut");
  }

  @Test
  void anUnreachableObjectStoreKeepsTheVolumeAndRetriesUntilTheUploadSucceeds() {
    String name = apply(run(spec()));
    awaitPod(name);
    kubelet.running(name);
    kubelet.terminated(name, 0, summary(RunOutcome.Succeeded, null, StepStatus.Succeeded, StepStatus.Succeeded).toTerminationMessage());

    String first = awaitFlushJob(name, 1);
    kubelet.finishJob(first, false, "object store at http://127.0.0.1:9 unreachable for 5 s: Connection refused");
    DbtRun waiting = awaitRun(name, r -> "FlushFailed".equals(reasonOf(r, RunConditions.LOGS_FLUSHED)));
    assertThat(messageOf(waiting, RunConditions.LOGS_FLUSHED)).contains("Connection refused").contains("volume is kept");
    assertThat(client.persistentVolumeClaims().inNamespace(NS).withName(name + "-workspace").get()).isNotNull();

    String second = awaitFlushJob(name, 2);
    assertThat(client.persistentVolumeClaims().inNamespace(NS).withName(name + "-workspace").get()).isNotNull();
    kubelet.finishJob(second, false, "object store unreachable");
    String third = awaitFlushJob(name, 3);
    kubelet.finishJob(third, true, flushReport(name, null).toTerminationMessage());

    DbtRun flushed = awaitRun(name, r -> r.getStatus().logs != null && r.getStatus().logs.flushedAt != null);
    assertThat(flushed.getStatus().logs.attempts).isEqualTo(3);
    assertThat(flushed.getStatus().phase).isEqualTo(RunPhase.Succeeded);
    await().until(() -> client.persistentVolumeClaims().inNamespace(NS).withName(name + "-workspace").get() == null);
  }

  @Test
  void aPodThatCannotPullItsImageFailsAfterTheStartTimeout() {
    String name = apply(run(spec()));
    awaitPod(name);
    kubelet.pending(name, "ImagePullBackOff", "Back-off pulling image \"dbt-platform/run-runtime:dbt-1.11\"");
    DbtRun failed = awaitRun(name, r -> r.getStatus().phase == RunPhase.Failed);
    assertThat(failed.getStatus().reason).isEqualTo("ImagePullBackOff");
    assertThat(failed.getStatus().message).contains("Back-off pulling image");
  }

  // ---- invalid specs -------------------------------------------------------------------------

  @Test
  void aStepThatIsNotADbtCommandIsInvalidSpecWithoutAPod() {
    DbtRunSpec spec = spec();
    spec.steps = List.of("dbt build", "rm -rf /");
    String name = apply(run(spec));
    DbtRun failed = awaitRun(name, r -> r.getStatus().phase == RunPhase.Failed);
    assertThat(failed.getStatus().reason).isEqualTo("InvalidSpec");
    assertThat(failed.getStatus().message).contains("spec.steps[1] 'rm -rf /' is not a dbt command");
    assertThat(reasonOf(failed, RunConditions.FAILED)).isEqualTo("InvalidSpec");
    assertThat(kubelet.pod(name)).isNull();
    await().untilAsserted(() -> assertThat(client.v1().events().inNamespace(NS).list().getItems())
        .anyMatch(e -> name.equals(e.getInvolvedObject().getName()) && "Warning".equals(e.getType())
            && "InvalidSpec".equals(e.getReason()) && e.getMessage().contains("is not a dbt command")));
  }

  @Test
  void aRunWhoseFieldsHaveTheWrongTypesDoesNotStopOtherRuns() {
    // Admission would reject this on a real API server; the stand-in stores it as it is.
    var bad = new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
        .withApiVersion("dbtplatform.dev/v1alpha1").withKind("DbtRun")
        .withNewMetadata().withName("wrong-types").withNamespace(NS).endMetadata()
        .addToAdditionalProperties("spec", java.util.Map.of("environmentRef", java.util.Map.of("name", "prod"),
            "steps", "dbt build", "threads", "many"))
        .build();
    client.genericKubernetesResources("dbtplatform.dev/v1alpha1", "DbtRun").inNamespace(NS).resource(bad).create();
    String name = apply(run(spec()));
    awaitPod(name);
    var runs = client.genericKubernetesResources("dbtplatform.dev/v1alpha1", "DbtRun").inNamespace(NS);
    await().atMost(Duration.ofSeconds(20)).until(() ->
        runs.withName("wrong-types").get().get("status", "phase") != null);
    var failed = runs.withName("wrong-types").get();
    assertThat((String) failed.get("status", "phase")).isEqualTo("Failed");
    assertThat((String) failed.get("status", "reason")).isEqualTo("InvalidSpec");
    assertThat((String) failed.get("status", "message")).contains("spec.steps is empty");
  }

  @Test
  void anInlineRunWithoutWarehouseIsInvalidSpec() {
    DbtRunSpec spec = new DbtRunSpec();
    spec.git = new GitSource();
    spec.git.url = "https://git.example.com/other.git";
    spec.steps = List.of("dbt build");
    String name = apply(run(spec));
    DbtRun failed = awaitRun(name, r -> r.getStatus().phase == RunPhase.Failed);
    assertThat(failed.getStatus().reason).isEqualTo("InvalidSpec");
    assertThat(failed.getStatus().message).contains("no warehouse connection");
  }

  @Test
  void aFullyInlineRunNeedsNoProjectOrEnvironment() {
    DbtRunSpec spec = new DbtRunSpec();
    spec.git = new GitSource();
    spec.git.url = "file:///srv/git/shop.git";
    spec.git.ref = "v1.2.0";
    spec.warehouse = new WarehouseConnection("duckdb", "local-duckdb");
    spec.steps = List.of("dbt build --select tag:nightly");
    spec.image = "registry.example.com/dbt:1.11";
    spec.schema = "ci_1234";
    String name = apply(run(spec));
    Pod pod = awaitPod(name);
    assertThat(pod.getSpec().getContainers().get(0).getImage()).isEqualTo("registry.example.com/dbt:1.11");
    RunConfig config = runConfigOf(pod);
    assertThat(config.adapterType()).isEqualTo("duckdb");
    assertThat(config.gitRef()).isEqualTo("v1.2.0");
    assertThat(config.target()).isEqualTo("default");
    assertThat(config.schema()).isEqualTo("ci_1234");
    assertThat(pod.getSpec().getVolumes()).anyMatch(v -> v.getSecret() != null && "local-duckdb".equals(v.getSecret().getSecretName()));
  }

  @Test
  void aMissingEnvironmentIsWaitedForThenFailsWithReferenceNotFound() {
    DbtRunSpec spec = spec();
    spec.environmentRef = ObjectRef.named("does-not-exist");
    String name = apply(run(spec));
    DbtRun waiting = awaitRun(name, r -> "ReferenceNotFound".equals(r.getStatus().reason));
    assertThat(waiting.getStatus().phase).isEqualTo(RunPhase.Queued);
    DbtRun failed = awaitRun(name, r -> r.getStatus().phase == RunPhase.Failed);
    assertThat(failed.getStatus().message).contains("DbtEnvironment 'does-not-exist' not found");
  }

  @Test
  void anEnvironmentAppliedShortlyAfterTheRunIsPickedUp() {
    DbtRunSpec spec = spec();
    spec.environmentRef = ObjectRef.named("late");
    String name = apply(run(spec));
    awaitRun(name, r -> "ReferenceNotFound".equals(r.getStatus().reason));
    DbtEnvironment env = new DbtEnvironment();
    env.getMetadata().setName("late");
    env.getMetadata().setNamespace(NS);
    env.setSpec(new DbtEnvironmentSpec());
    env.getSpec().projectRef = ObjectRef.named("shop");
    env.getSpec().warehouse = new WarehouseConnection("postgres", "warehouse-credentials");
    client.resource(env).create();
    awaitPod(name);
  }

  @Test
  void metricsExposeReconcilesRunsByPhaseAndPrepTime() throws Exception {
    String name = apply(run(spec()));
    awaitPod(name);
    kubelet.running(name);
    awaitRun(name, r -> r.getStatus().phase == RunPhase.Running);
    String body = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + operator.metricsPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(body).contains("dbt_platform_runs{phase=\"Running\"}")
        .contains("operator_sdk_reconciliations");
    double prepCount = body.lines().filter(l -> l.startsWith("dbt_platform_run_prep_seconds_count"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
    assertThat(prepCount).as("prep time recorded when dbt started").isGreaterThanOrEqualTo(1);
  }

  // ---- helpers -------------------------------------------------------------------------------

  static DbtRunSpec spec() {
    DbtRunSpec spec = new DbtRunSpec();
    spec.environmentRef = ObjectRef.named("prod");
    spec.steps = List.of("dbt seed", "dbt build");
    return spec;
  }

  /** A job in the prod environment with the steps of {@link #spec()}. */
  static DbtJobSpec jobSpec() {
    DbtJobSpec job = new DbtJobSpec();
    job.environmentRef = ObjectRef.named("prod");
    job.steps = List.of("dbt seed", "dbt build");
    return job;
  }

  /** A run of the job, started for the given reason (null: as kubectl would, with none). */
  static DbtRun jobRun(String job, DbtRunSpec.ReasonCategory category) {
    DbtRunSpec spec = new DbtRunSpec();
    spec.jobRef = ObjectRef.named(job);
    spec.runReasonCategory = category;
    return run(spec);
  }

  /** The value of a metric without labels, from /metrics. */
  static double metric(String name) throws Exception {
    String body = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + operator.metricsPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return body.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
  }

  static DbtRun run(DbtRunSpec spec) {
    return new DbtRun(NS, "run-" + SEQ.incrementAndGet(), spec);
  }

  static String apply(DbtRun run) {
    client.resource(run).create();
    return run.getMetadata().getName();
  }

  static void touch(String name) {
    client.resources(DbtRun.class).inNamespace(NS).withName(name).edit(r -> {
      r.getMetadata().getAnnotations().put("touched", String.valueOf(System.nanoTime()));
      return r;
    });
  }

  static Pod awaitPod(String name) {
    await().atMost(Duration.ofSeconds(20)).until(() -> kubelet.pod(name) != null);
    return kubelet.pod(name);
  }

  static DbtRun awaitRun(String name, Predicate<DbtRun> condition) {
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      DbtRun r = client.resources(DbtRun.class).inNamespace(NS).withName(name).get();
      return r != null && r.getStatus() != null && condition.test(r);
    });
    return client.resources(DbtRun.class).inNamespace(NS).withName(name).get();
  }

  static String awaitFlushJob(String runName, int attempt) {
    String job = runName + "-flush-" + attempt;
    await().atMost(Duration.ofSeconds(20)).until(() -> kubelet.job(job) != null);
    return job;
  }

  /** Reasons of the run's Events. */
  static List<String> eventReasons(String runName) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> runName.equals(e.getInvolvedObject().getName()))
        .map(e -> e.getReason())
        .toList();
  }

  static RunConfig runConfigOf(Pod pod) {
    return RunConfig.fromJson(pod.getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> RuntimeEnv.RUN_CONFIG.equals(e.getName())).findFirst().orElseThrow().getValue());
  }

  static RunSummary summary(RunOutcome outcome, String message, StepStatus third, StepStatus fourth) {
    Instant t = Instant.now();
    return new RunSummary(outcome, outcome == RunOutcome.Failed ? "StepFailed" : null, message, "abc123", "main", t, t,
        List.of(
            new StepResult(1, "Clone git repository", null, StepStatus.Succeeded, t, t, null),
            new StepResult(2, "Create profile from connection postgres", null, StepStatus.Succeeded, t, t, null),
            new StepResult(3, "Invoke dbt with `dbt seed`", "dbt seed", third, t, t, third == StepStatus.Failed ? 1 : 0),
            new StepResult(4, "Invoke dbt with `dbt build`", "dbt build", fourth, fourth == StepStatus.Skipped ? null : t, t, null)));
  }

  static FlushReport flushReport(String runName, RunSummary summary) {
    DbtRun run = client.resources(DbtRun.class).inNamespace(NS).withName(runName).get();
    return new FlushReport("runs", run.getStatus().logs.prefix, 9, 12345, Instant.now(), summary);
  }

  static String condition(DbtRun run, String type) {
    var c = RunConditions.find(run.getStatus(), type);
    return c == null ? null : c.getStatus();
  }

  static String reasonOf(DbtRun run, String type) {
    var c = RunConditions.find(run.getStatus(), type);
    return c == null ? null : c.getReason();
  }

  static String messageOf(DbtRun run, String type) {
    var c = RunConditions.find(run.getStatus(), type);
    return c == null ? null : c.getMessage();
  }

  static void assertRestrictedAndOwned(Pod pod, String runName) {
    assertThat(pod.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> {
          assertThat(o.getKind()).isEqualTo("DbtRun");
          assertThat(o.getName()).isEqualTo(runName);
          assertThat(o.getController()).isTrue();
        });
    assertThat(pod.getMetadata().getLabels())
        .containsEntry(ApiGroup.MANAGED_BY_LABEL, ApiGroup.MANAGED_BY)
        .containsEntry(ApiGroup.RUN_LABEL, runName);
    assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    Container c = pod.getSpec().getContainers().get(0);
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getEnv()).extracting(EnvVar::getName).doesNotContain("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
    assertThat(pod.getSpec().getVolumes()).anyMatch(v -> v.getPersistentVolumeClaim() != null
        && (runName + "-workspace").equals(v.getPersistentVolumeClaim().getClaimName()));
  }

  static void assertFlushJobShape(Job job, String runName) {
    var podSpec = job.getSpec().getTemplate().getSpec();
    Container c = podSpec.getContainers().get(0);
    assertThat(c.getEnv()).anyMatch(e -> "AWS_ACCESS_KEY_ID".equals(e.getName()) && e.getValueFrom() != null
        && e.getValueFrom().getSecretKeyRef() != null);
    assertThat(c.getVolumeMounts()).anyMatch(m -> "/workspace".equals(m.getMountPath()) && Boolean.TRUE.equals(m.getReadOnly()));
    assertThat(podSpec.getAutomountServiceAccountToken()).isFalse();
    assertThat(job.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getName()).isEqualTo(runName));
  }
}
