package dev.dbtplatform.operator.run;

import dev.dbtplatform.contract.RunSummary;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Optional;
import java.util.Set;

/** What a run pod's status says, read the way the operator needs it. */
record PodOutcome(String phase, String startedAt, ContainerStateTerminated terminated, ContainerStateWaiting waiting,
                  String podReason, String podMessage) {

  /** Waiting reasons that will not go away on their own. */
  static final Set<String> STUCK_REASONS = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
      "CreateContainerConfigError", "CreateContainerError", "RunContainerError");

  static PodOutcome of(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    ContainerStatus container = pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
        ? null : pod.getStatus().getContainerStatuses().stream().findFirst().orElse(null);
    String startedAt = null;
    ContainerStateTerminated terminated = null;
    ContainerStateWaiting waiting = null;
    if (container != null && container.getState() != null) {
      if (container.getState().getRunning() != null) {
        startedAt = container.getState().getRunning().getStartedAt();
      }
      terminated = container.getState().getTerminated();
      if (terminated != null) {
        startedAt = terminated.getStartedAt();
      }
      waiting = container.getState().getWaiting();
    }
    return new PodOutcome(phase, startedAt, terminated, waiting,
        pod.getStatus() == null ? null : pod.getStatus().getReason(),
        pod.getStatus() == null ? null : pod.getStatus().getMessage());
  }

  boolean isFinished() {
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  boolean isRunning() {
    return "Running".equals(phase) && startedAt != null;
  }

  boolean isStuck() {
    return waiting != null && STUCK_REASONS.contains(waiting.getReason());
  }

  /** The runtime's summary from the termination message, when it wrote one that parses. */
  Optional<RunSummary> summary() {
    if (terminated == null || terminated.getMessage() == null || terminated.getMessage().isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(RunSummary.fromJson(terminated.getMessage()));
    } catch (IllegalArgumentException notJson) {
      return Optional.empty();
    }
  }

  Integer exitCode() {
    return terminated == null ? null : terminated.getExitCode();
  }

  String finishedAt() {
    return terminated == null ? null : terminated.getFinishedAt();
  }
}
