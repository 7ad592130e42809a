package dev.dbtplatform.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbtplatform.contract.FlushConfig;
import dev.dbtplatform.contract.RunConfig;
import dev.dbtplatform.contract.RuntimeEnv;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunSpec;
import dev.dbtplatform.crd.DeferredState;
import dev.dbtplatform.crd.ResolvedRun;
import dev.dbtplatform.crd.SuccessfulRun;
import dev.dbtplatform.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The run pod of a run with job options: what the runtime is told, and the state fetch. */
class RunPodFactoryTest {
  final OperatorConfig config = OperatorConfig.defaults();
  final DbtRun run = new DbtRun("analytics", "ci-42", new DbtRunSpec());

  @Test
  void aDeferringRunFetchesItsStateInAnInitContainerThatAloneHoldsTheStoreCredentials() {
    ResolvedRun resolved = resolved();
    resolved.deferral = new DeferredState("the last successful run nightly-7 of DbtJob 'nightly'",
        new SuccessfulRun("nightly-7", "2026-11-24T02:05:00Z", "old-bucket", "accounts/1/namespaces/analytics/runs/nightly-7/uid/"));

    Pod pod = RunPodFactory.build(run, resolved, config);

    Container init = pod.getSpec().getInitContainers().get(0);
    assertThat(pod.getSpec().getInitContainers()).hasSize(1);
    assertThat(init.getName()).isEqualTo(StateFetchContainer.NAME);
    assertThat(init.getImage()).isEqualTo(config.flushImage());
    assertThat(init.getCommand()).containsExactly(StateFetchContainer.COMMAND);
    FlushConfig where = FlushConfig.fromJson(value(init.getEnv(), RuntimeEnv.STATE_FETCH_CONFIG));
    assertThat(where.bucket()).as("the deferred run's bucket").isEqualTo("old-bucket");
    assertThat(where.runPrefix()).isEqualTo("accounts/1/namespaces/analytics/runs/nightly-7/uid/");
    assertThat(init.getEnv()).filteredOn(e -> e.getName().equals("AWS_SECRET_ACCESS_KEY"))
        .singleElement().satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName())
            .isEqualTo(config.objectStore().credentialsSecret()));
    assertThat(init.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();

    Container dbt = pod.getSpec().getContainers().get(0);
    assertThat(dbt.getEnv()).extracting(EnvVar::getName).doesNotContain("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
    RunConfig runConfig = RunConfig.fromJson(value(dbt.getEnv(), RuntimeEnv.RUN_CONFIG));
    assertThat(runConfig.deferral()).isEqualTo("the last successful run nightly-7 of DbtJob 'nightly'");
  }

  @Test
  void withNothingToDeferToThereIsNoInitContainerButTheRunStillSaysWhy() {
    ResolvedRun resolved = resolved();
    resolved.deferral = new DeferredState("DbtJob 'nightly', which has no successful run with saved artifacts yet", null);

    Pod pod = RunPodFactory.build(run, resolved, config);

    assertThat(pod.getSpec().getInitContainers()).isEmpty();
    assertThat(RunConfig.fromJson(value(pod.getSpec().getContainers().get(0).getEnv(), RuntimeEnv.RUN_CONFIG)).deferral())
        .startsWith("DbtJob 'nightly', which has no successful run");
  }

  @Test
  void theCheckboxStepsReachTheRuntime() {
    ResolvedRun resolved = resolved();
    resolved.generateDocs = true;
    resolved.runGenerateSources = true;

    RunConfig runConfig = RunPodFactory.runConfig(run, resolved);

    assertThat(runConfig.generateDocs()).isTrue();
    assertThat(runConfig.sourceFreshness()).isTrue();
    assertThat(runConfig.steps()).containsExactly("dbt build");
    assertThat(runConfig.deferral()).isNull();
    assertThat(RunPodFactory.build(run, resolved, config).getSpec().getInitContainers()).isEmpty();
  }

  private static ResolvedRun resolved() {
    ResolvedRun r = new ResolvedRun();
    r.accountId = "1";
    r.runId = "42";
    r.gitUrl = "https://git.example.com/shop.git";
    r.steps = List.of("dbt build");
    r.threads = 4;
    r.adapterType = "postgres";
    r.warehouseSecret = "warehouse";
    r.image = "dbt-platform/run-runtime:test";
    return r;
  }

  private static String value(List<EnvVar> env, String name) {
    return env.stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow().getValue();
  }
}
