package dev.dbtplatform.local.node;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import java.time.Instant;

/** What the node knows of one container of a pod it runs; guarded by its {@link PodWorker}. */
final class ContainerRecord {
  final Container spec;
  final boolean init;
  private String waitingReason;
  private String waitingMessage;
  private PodProcess process;
  private Long pid;
  private Instant startedAt;
  private ContainerStateTerminated terminated;
  private ContainerStateTerminated lastTerminated;
  private int restartCount;
  /** The readiness probe's last answer; false until it has passed once. */
  private boolean probePassed;

  ContainerRecord(Container spec, boolean init, String waitingReason) {
    this.spec = spec;
    this.init = init;
    this.waitingReason = waitingReason;
  }

  String name() {
    return spec.getName();
  }

  boolean isWaiting() {
    return process == null && terminated == null;
  }

  boolean isRunning() {
    return process != null && terminated == null;
  }

  boolean isTerminated() {
    return terminated != null;
  }

  boolean succeeded() {
    return terminated != null && terminated.getExitCode() != null && terminated.getExitCode() == 0;
  }

  PodProcess process() {
    return isRunning() ? process : null;
  }

  Instant startedAt() {
    return startedAt;
  }

  void waiting(String reason, String message) {
    this.waitingReason = reason;
    this.waitingMessage = message;
  }

  /** Whether the container counts as ready: running, and its readiness probe (if it has one the node runs) passing. */
  boolean isReady() {
    return isRunning() && (!ReadinessProbes.hasCheckableProbe(spec) || probePassed);
  }

  /** @return whether the answer changed */
  boolean probed(boolean passed) {
    boolean changed = passed != probePassed;
    probePassed = passed;
    return changed;
  }

  void running(PodProcess process) {
    this.probePassed = false;
    this.process = process;
    this.pid = process.pid();
    this.startedAt = process.startedAt();
    this.terminated = null;
    this.waitingReason = null;
    this.waitingMessage = null;
  }

  void terminated(int exitCode, String reason, String message, Instant startedAt, Instant finishedAt) {
    this.terminated = new ContainerStateTerminatedBuilder()
        .withExitCode(exitCode)
        .withReason(reason)
        .withMessage(message == null || message.isEmpty() ? null : message)
        .withStartedAt(PodStatusMapper.time(startedAt))
        .withFinishedAt(PodStatusMapper.time(finishedAt))
        .withContainerID(containerId())
        .build();
  }

  /** Before a restart: the last run becomes lastState, the container waits in back-off. */
  void restarting(String message) {
    this.lastTerminated = terminated;
    this.terminated = null;
    this.process = null;
    this.restartCount++;
    waiting("CrashLoopBackOff", message);
  }

  int restartCount() {
    return restartCount;
  }

  private String containerId() {
    return pid == null ? null : "local://" + pid;
  }

  ContainerStatus toStatus() {
    ContainerState state;
    if (terminated != null) {
      state = new ContainerStateBuilder().withTerminated(terminated).build();
    } else if (process != null) {
      state = new ContainerStateBuilder().withNewRunning().withStartedAt(PodStatusMapper.time(startedAt)).endRunning().build();
    } else {
      state = new ContainerStateBuilder().withNewWaiting().withReason(waitingReason).withMessage(waitingMessage).endWaiting().build();
    }
    ContainerState last = lastTerminated == null ? new ContainerState() : new ContainerStateBuilder().withTerminated(lastTerminated).build();
    boolean running = isRunning();
    return new ContainerStatusBuilder()
        .withName(spec.getName())
        .withImage(spec.getImage() == null ? "" : spec.getImage())
        .withImageID("")
        .withContainerID(containerId())
        .withReady(isReady())
        .withStarted(running)
        .withRestartCount(restartCount)
        .withState(state)
        .withLastState(last)
        .build();
  }
}
