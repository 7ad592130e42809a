package dev.dbtplatform.local.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodStatusMapperTest {
  @Test
  void phaseFollowsTheKubelet() {
    assertThat(PodStatusMapper.phase("Never", List.of(), List.of(waiting()))).isEqualTo("Pending");
    assertThat(PodStatusMapper.phase("Never", List.of(), List.of(running()))).isEqualTo("Running");
    assertThat(PodStatusMapper.phase("Never", List.of(), List.of(running(), waiting()))).isEqualTo("Pending");
    assertThat(PodStatusMapper.phase("Never", List.of(), List.of(terminated(0)))).isEqualTo("Succeeded");
    assertThat(PodStatusMapper.phase("Never", List.of(), List.of(terminated(3)))).isEqualTo("Failed");
    assertThat(PodStatusMapper.phase("Never", List.of(), List.of(terminated(0), running()))).isEqualTo("Running");
    assertThat(PodStatusMapper.phase("OnFailure", List.of(), List.of(terminated(1)))).isEqualTo("Running");
    assertThat(PodStatusMapper.phase("Always", List.of(), List.of(terminated(0)))).isEqualTo("Running");
    assertThat(PodStatusMapper.phase("Never", List.of(running()), List.of(waiting()))).isEqualTo("Pending");
    assertThat(PodStatusMapper.phase("Never", List.of(terminated(2)), List.of(waiting()))).isEqualTo("Failed");
    assertThat(PodStatusMapper.phase("OnFailure", List.of(terminated(2)), List.of(waiting()))).isEqualTo("Pending");
  }

  @Test
  void buildsRunningAndCompletedStatusesWithStableTransitionTimes() {
    Pod pod = new PodBuilder().withNewMetadata().withName("p").endMetadata()
        .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("c").endContainer().endSpec().build();
    Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
    PodStatus running = PodStatusMapper.build(pod,
        new PodStatusMapper.Snapshot(true, null, t0, List.of(), List.of(running()), null, null, null), List.of(), t0);

    assertThat(running.getPhase()).isEqualTo("Running");
    assertThat(running.getPodIP()).isEqualTo("127.0.0.1");
    assertThat(running.getStartTime()).isEqualTo("2025-01-01T00:00:00Z");
    assertThat(running.getConditions()).extracting(PodCondition::getType)
        .containsExactly("PodScheduled", "Initialized", "ContainersReady", "Ready");
    assertThat(running.getConditions()).allMatch(c -> c.getStatus().equals("True"));
    assertThat(running.getQosClass()).isEqualTo("BestEffort");

    Instant t1 = t0.plusSeconds(5);
    PodStatus done = PodStatusMapper.build(pod,
        new PodStatusMapper.Snapshot(true, null, t0, List.of(), List.of(terminated(0)), null, null, null),
        running.getConditions(), t1);
    assertThat(done.getPhase()).isEqualTo("Succeeded");
    PodCondition ready = done.getConditions().stream().filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow();
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("PodCompleted");
    assertThat(ready.getLastTransitionTime()).isEqualTo("2025-01-01T00:00:05Z");
    PodCondition scheduled = done.getConditions().get(0);
    assertThat(scheduled.getLastTransitionTime()).isEqualTo("2025-01-01T00:00:00Z");
  }

  @Test
  void unboundPodIsUnschedulable() {
    Pod pod = new PodBuilder().withNewMetadata().withName("p").endMetadata()
        .withNewSpec().addNewContainer().withName("c").endContainer().endSpec().build();
    PodStatus status = PodStatusMapper.build(pod, new PodStatusMapper.Snapshot(false, "persistentvolumeclaim \"x\" not found",
        null, List.of(), List.of(waiting()), null, null, null), List.of(), Instant.now());
    assertThat(status.getPhase()).isEqualTo("Pending");
    assertThat(status.getConditions()).singleElement().satisfies(c -> {
      assertThat(c.getType()).isEqualTo("PodScheduled");
      assertThat(c.getStatus()).isEqualTo("False");
      assertThat(c.getReason()).isEqualTo("Unschedulable");
    });
  }

  private static ContainerStatus waiting() {
    return new ContainerStatusBuilder().withName("c").withState(new ContainerStateBuilder().withNewWaiting()
        .withReason("ContainerCreating").endWaiting().build()).withReady(false).build();
  }

  private static ContainerStatus running() {
    return new ContainerStatusBuilder().withName("c").withState(new ContainerStateBuilder().withNewRunning()
        .withStartedAt("2025-01-01T00:00:00Z").endRunning().build()).withReady(true).build();
  }

  private static ContainerStatus terminated(int code) {
    return new ContainerStatusBuilder().withName("c").withState(new ContainerStateBuilder().withNewTerminated()
        .withExitCode(code).endTerminated().build()).withReady(false).build();
  }
}
