package dev.dbtplatform.operator.job;

import static dev.dbtplatform.operator.job.DbtJobReconcilerTest.afterCompletionOf;
import static dev.dbtplatform.operator.job.DbtJobReconcilerTest.schedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbtplatform.contract.Cron;
import dev.dbtplatform.crd.DbtJob;
import dev.dbtplatform.crd.DbtJobSpec;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunSpec;
import dev.dbtplatform.crd.DbtRunStatus;
import dev.dbtplatform.crd.JobCompletionStatus;
import dev.dbtplatform.crd.ObjectRef;
import dev.dbtplatform.crd.RunPhase;
import dev.dbtplatform.embedded.EmbeddedKubernetes;
import dev.dbtplatform.operator.DbtPlatformOperator;
import dev.dbtplatform.operator.OperatorConfig;
import dev.dbtplatform.operator.TestClock;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scheduler as the operator runs it: registered, fed by its DbtJob and DbtRun informers, the
 * upstream job's run events reaching the downstream job through the trigger index.
 */
class SchedulerOperatorTest {
  static final String NS = "default";

  static EmbeddedKubernetes kubernetes;
  static KubernetesClient client;
  static DbtPlatformOperator operator;
  // two minutes ahead: the latest fire of an every-minute job created now is due at once
  static final TestClock CLOCK = new TestClock(Instant.now().plus(Duration.ofMinutes(2)));

  @BeforeAll
  static void start() {
    kubernetes = EmbeddedKubernetes.start();
    client = kubernetes.newClient();
    client.resource(JobTestResources.prodEnvironment(NS)).create();
    operator = DbtPlatformOperator.start(client, OperatorConfig.defaults().withMetricsPort(-1), CLOCK);
  }

  @AfterAll
  static void stop() {
    operator.close();
    client.close();
    kubernetes.close();
  }

  @Test
  void aScheduledJobGetsItsRunAndFollowsEdits() {
    CLOCK.set(Instant.now().plus(Duration.ofMinutes(2)));
    DbtJob job = client.resource(new DbtJob(NS, "every-minute", schedule("* * * * *"))).create();
    Instant fire = Cron.parse("* * * * *").lastFireAtOrBefore(CLOCK.instant());
    String runName = JobRunNames.scheduled("every-minute", fire);

    await().until(() -> client.resources(DbtRun.class).inNamespace(NS).withName(runName).get() != null);
    await().until(() -> read("every-minute").getStatus() != null
        && fire.toString().equals(read("every-minute").getStatus().lastScheduleTime));
    String metrics = operator.registry().scrape();
    assertThat(metrics).contains("dbt_platform_schedule_skew_seconds_count 1")
        .contains("dbt_platform_job_fires_total{outcome=\"created\",trigger=\"schedule\"} 1.0");

    client.resources(DbtJob.class).inNamespace(NS).withName("every-minute").edit(j -> {
      j.getSpec().suspend = true;
      return j;
    });
    await().until(() -> "Suspended".equals(DbtJobReconcilerTest.ready(read("every-minute")).getReason()));
    assertThat(read("every-minute").getStatus().observedGeneration).isGreaterThan(job.getMetadata().getGeneration());
  }

  @Test
  void theEndOfAnUpstreamRunStartsTheDownstreamJob() {
    client.resource(new DbtJob(NS, "load", DbtJobReconcilerTest.jobSpec())).create();
    DbtJobSpec report = afterCompletionOf("load", JobCompletionStatus.Succeeded);
    client.resource(new DbtJob(NS, "report", report)).create();
    DbtRunSpec spec = new DbtRunSpec();
    spec.jobRef = ObjectRef.named("load");
    client.resource(new DbtRun(NS, "load-1", spec)).create();

    // stands in for the run ending; retried while the run reconciler writes the same status
    await().ignoreExceptions().untilAsserted(() -> {
      client.resources(DbtRun.class).inNamespace(NS).withName("load-1").editStatus(r -> {
        r.setStatus(new DbtRunStatus());
        r.getStatus().phase = RunPhase.Succeeded;
        r.getStatus().finishedAt = CLOCK.instant().toString();
        return r;
      });
      assertThat(client.resources(DbtRun.class).inNamespace(NS).withName("load-1").get().getStatus().phase)
          .isEqualTo(RunPhase.Succeeded);
    });

    String triggered = JobRunNames.triggered("report", "load-1");
    await().until(() -> client.resources(DbtRun.class).inNamespace(NS).withName(triggered).get() != null);
    DbtRun run = client.resources(DbtRun.class).inNamespace(NS).withName(triggered).get();
    assertThat(run.getSpec().runReason).isEqualTo("Triggered by completion of run load-1 of job load");
    await().until(() -> read("load").getStatus() != null && "load-1".equals(read("load").getStatus().lastCompletedRun));
  }

  private static DbtJob read(String name) {
    return client.resources(DbtJob.class).inNamespace(NS).withName(name).get();
  }
}
