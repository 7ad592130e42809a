package dev.dbtplatform.operator.run;

import static dev.dbtplatform.operator.run.DbtRunReconcilerTest.jobRun;
import static dev.dbtplatform.operator.run.DbtRunReconcilerTest.jobSpec;
import static dev.dbtplatform.operator.run.DbtRunReconcilerTest.summary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbtplatform.contract.RunOutcome;
import dev.dbtplatform.contract.StepStatus;
import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.crd.DbtJob;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.RunPhase;
import dev.dbtplatform.embedded.EmbeddedKubernetes;
import dev.dbtplatform.operator.DbtPlatformOperator;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Account-wide run slots, with an operator of its own that lets one run per account past Queued.
 * Each test uses accounts and jobs of its own, so runs other tests left running hold none of its
 * runs back.
 */
class RunSlotsTest {
  static final String NS = DbtRunReconcilerTest.NS;

  static EmbeddedKubernetes kubernetes;
  static KubernetesClient client;
  static DbtPlatformOperator operator;
  static TestKubelet kubelet;

  @BeforeAll
  static void start() {
    kubernetes = EmbeddedKubernetes.start();
    client = kubernetes.newClient();
    operator = DbtPlatformOperator.start(client, DbtRunReconcilerTest.CONFIG.withRunSlots(1), Clock.systemUTC());
    kubelet = new TestKubelet(client, NS);
    DbtRunReconcilerTest.applyShop(client);
  }

  @AfterAll
  static void stop() {
    operator.close();
    client.close();
    kubernetes.close();
  }

  @Test
  void oneSlotSerialisesRunsOfDifferentJobsOfAnAccountButNotOfAnother() throws Exception {
    jobs("loads", "marts", "exports");
    String loads = apply("loads", "acme");
    awaitPod(loads);
    String marts = apply("marts", "acme");
    DbtRun waiting = awaitRun(marts, r -> RunQueue.WAITING_FOR_RUN_SLOT.equals(r.getStatus().reason));
    assertThat(waiting.getStatus().phase).isEqualTo(RunPhase.Queued);
    assertThat(waiting.getStatus().message)
        .isEqualTo("waiting for a run slot: account acme runs at most 1 at a time, 1 ahead of this one");
    assertThat(DbtRunReconcilerTest.reasonOf(waiting, RunConditions.QUEUED)).isEqualTo(RunQueue.WAITING_FOR_RUN_SLOT);

    String elsewhere = apply("exports", "globex");
    awaitPod(elsewhere); // another account has a slot of its own
    Thread.sleep(1000);
    assertThat(kubelet.pod(marts)).isNull();

    kubelet.running(loads);
    kubelet.terminated(loads, 0, summary(RunOutcome.Succeeded, null, StepStatus.Succeeded, StepStatus.Succeeded).toTerminationMessage());
    await().atMost(Duration.ofSeconds(10)).until(() -> kubelet.pod(marts) != null);
    assertThat(read(loads).getStatus().phase).isEqualTo(RunPhase.Succeeded);
    DbtRun started = awaitRun(marts, r -> r.getStatus().phase == RunPhase.Starting);
    assertThat(started.getStatus().waitSeconds).isGreaterThanOrEqualTo(1.0);
  }

  @Test
  void waitingRunsTakeAFreedSlotOldestFirst() {
    jobs("extract", "transform", "publish");
    String first = apply("extract", "initech");
    awaitPod(first);
    String second = apply("transform", "initech");
    awaitRun(second, r -> RunQueue.WAITING_FOR_RUN_SLOT.equals(r.getStatus().reason));
    String third = apply("publish", "initech");
    DbtRun behind = awaitRun(third, r -> RunQueue.WAITING_FOR_RUN_SLOT.equals(r.getStatus().reason));
    assertThat(behind.getStatus().message).endsWith("2 ahead of this one");

    kubelet.running(first);
    kubelet.terminated(first, 0, summary(RunOutcome.Succeeded, null, StepStatus.Succeeded, StepStatus.Succeeded).toTerminationMessage());
    await().atMost(Duration.ofSeconds(10)).until(() -> kubelet.pod(second) != null);
    awaitRun(third, r -> r.getStatus().message.endsWith(", 1 ahead of this one"));
    assertThat(kubelet.pod(third)).isNull();

    client.pods().inNamespace(NS).withName(second).delete(); // ends it as PodDeleted: the slot frees as well
    await().atMost(Duration.ofSeconds(10)).until(() -> kubelet.pod(third) != null);
  }

  static void jobs(String... names) {
    for (String name : names) {
      client.resource(new DbtJob(NS, name, jobSpec())).create();
    }
  }

  static String apply(String job, String account) {
    DbtRun run = jobRun(job, null);
    run.getMetadata().setLabels(new HashMap<>(java.util.Map.of(ApiGroup.ACCOUNT_ID_LABEL, account)));
    client.resource(run).create();
    return run.getMetadata().getName();
  }

  static DbtRun read(String name) {
    return client.resources(DbtRun.class).inNamespace(NS).withName(name).get();
  }

  static void awaitPod(String name) {
    await().atMost(Duration.ofSeconds(20)).until(() -> kubelet.pod(name) != null);
  }

  static DbtRun awaitRun(String name, Predicate<DbtRun> condition) {
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      DbtRun r = read(name);
      return r != null && r.getStatus() != null && condition.test(r);
    });
    return read(name);
  }
}
