package dev.dbtplatform.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunSpec;
import dev.dbtplatform.crd.DbtRunStatus;
import dev.dbtplatform.crd.RunPhase;
import dev.dbtplatform.embedded.EmbeddedKubernetes;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Status writes are refused when they were computed from a stale read of the run. */
class StatusWriterTest {

  @Test
  void aWriteBasedOnAStaleReadIsRefusedAndChangesNothing() {
    try (EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start()) {
      var client = kubernetes.client();
      DbtRunSpec spec = new DbtRunSpec();
      spec.steps = List.of("dbt build");
      client.resource(new DbtRun("default", "r1", spec)).create();
      StatusWriter writer = new StatusWriter(client);

      DbtRun fresh = client.resources(DbtRun.class).inNamespace("default").withName("r1").get();
      DbtRun stale = client.resources(DbtRun.class).inNamespace("default").withName("r1").get();

      fresh.setStatus(new DbtRunStatus());
      fresh.getStatus().phase = RunPhase.Failed;
      fresh.getStatus().reason = "StepFailed";
      assertThat(writer.write(DbtRun.class, fresh)).isPresent();

      stale.setStatus(new DbtRunStatus());
      stale.getStatus().phase = RunPhase.Failed;
      stale.getStatus().reason = "PodDeleted";
      assertThat(writer.write(DbtRun.class, stale)).isEmpty();

      DbtRun stored = client.resources(DbtRun.class).inNamespace("default").withName("r1").get();
      assertThat(stored.getStatus().reason).isEqualTo("StepFailed");
      assertThat(stored.getSpec().steps).containsExactly("dbt build");
    }
  }

  @Test
  void listsAreReplacedAndClearedFieldsRemoved() {
    try (EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start()) {
      var client = kubernetes.client();
      DbtRunSpec spec = new DbtRunSpec();
      spec.steps = List.of("dbt build");
      client.resource(new DbtRun("default", "r2", spec)).create();
      StatusWriter writer = new StatusWriter(client);

      DbtRun run = client.resources(DbtRun.class).inNamespace("default").withName("r2").get();
      run.setStatus(new DbtRunStatus());
      run.getStatus().message = "first";
      run.getStatus().steps = List.of(step(1), step(2));
      assertThat(writer.write(DbtRun.class, run)).isPresent();

      run = client.resources(DbtRun.class).inNamespace("default").withName("r2").get();
      run.getStatus().message = null;
      run.getStatus().steps = List.of(step(1), step(2), step(3));
      assertThat(writer.write(DbtRun.class, run)).isPresent();

      DbtRun stored = client.resources(DbtRun.class).inNamespace("default").withName("r2").get();
      assertThat(stored.getStatus().steps).extracting(s -> s.index).containsExactly(1, 2, 3);
      assertThat(stored.getStatus().message).isNull();
    }
  }

  private static dev.dbtplatform.crd.RunStepStatus step(int index) {
    var step = new dev.dbtplatform.crd.RunStepStatus();
    step.index = index;
    return step;
  }
}
