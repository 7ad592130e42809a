package dev.dbtplatform.local.node;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Pod status as a kubelet reports it, computed from what the node knows; no I/O.
 *
 * <p>Phase follows the kubelet: Pending while an init container has not succeeded or a container has
 * never started; Running once all containers have started and one runs (or all are restarting under
 * restartPolicy Always / OnFailure); Succeeded when all terminated with 0; Failed when all terminated
 * and one failed under restartPolicy Never, or an init container failed under Never.
 */
final class PodStatusMapper {
  private PodStatusMapper() {}

  static final String POD_SCHEDULED = "PodScheduled";
  static final String INITIALIZED = "Initialized";
  static final String CONTAINERS_READY = "ContainersReady";
  static final String READY = "Ready";

  /** What the node knows of a pod, besides its containers' records. */
  record Snapshot(
      boolean bound,
      String unschedulableMessage,
      Instant startTime,
      List<ContainerStatus> initStatuses,
      List<ContainerStatus> statuses,
      String forcedPhase,
      String reason,
      String message) {}

  static String time(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static String restartPolicy(Pod pod) {
    String policy = pod.getSpec().getRestartPolicy();
    return policy == null || policy.isEmpty() ? "Always" : policy;
  }

  /** The kubelet's phase computation (getPhase), for a pod that is not being force-terminated. */
  static String phase(String restartPolicy, List<ContainerStatus> init, List<ContainerStatus> main) {
    boolean pendingInitialization = false;
    for (ContainerStatus s : init) {
      if (s.getState().getTerminated() != null) {
        if (s.getState().getTerminated().getExitCode() != 0) {
          if ("Never".equals(restartPolicy)) {
            return "Failed";
          }
          pendingInitialization = true;
        }
      } else {
        pendingInitialization = true;
      }
    }
    int running = 0;
    int waiting = 0;
    int stopped = 0;
    int succeeded = 0;
    for (ContainerStatus s : main) {
      if (s.getState().getRunning() != null) {
        running++;
      } else if (s.getState().getTerminated() != null) {
        stopped++;
        if (s.getState().getTerminated().getExitCode() == 0) {
          succeeded++;
        }
      } else if (s.getLastState() != null && s.getLastState().getTerminated() != null) {
        stopped++;
      } else {
        waiting++;
      }
    }
    if (pendingInitialization || waiting > 0) {
      return "Pending";
    }
    if (running > 0) {
      return "Running";
    }
    if (stopped > 0) {
      if ("Always".equals(restartPolicy)) {
        return "Running";
      }
      if (stopped == succeeded) {
        return "Succeeded";
      }
      if ("Never".equals(restartPolicy)) {
        return "Failed";
      }
      return "Running";
    }
    return "Pending";
  }

  static PodStatus build(Pod pod, Snapshot s, List<PodCondition> previous, Instant now) {
    List<PodCondition> conditions = new ArrayList<>();
    if (!s.bound()) {
      conditions.add(condition(previous, now, POD_SCHEDULED, false, "Unschedulable", s.unschedulableMessage()));
      return new PodStatusBuilder()
          .withPhase("Pending")
          .withConditions(conditions)
          .withQosClass(qosClass(pod))
          .build();
    }
    String phase = s.forcedPhase() != null ? s.forcedPhase() : phase(restartPolicy(pod), s.initStatuses(), s.statuses());
    boolean terminal = phase.equals("Succeeded") || phase.equals("Failed");

    List<String> uninitialized = s.initStatuses().stream()
        .filter(c -> c.getState().getTerminated() == null || c.getState().getTerminated().getExitCode() != 0)
        .map(ContainerStatus::getName)
        .collect(Collectors.toList());
    List<String> unready = s.statuses().stream()
        .filter(c -> !Boolean.TRUE.equals(c.getReady()))
        .map(ContainerStatus::getName)
        .collect(Collectors.toList());
    boolean ready = unready.isEmpty() && !terminal;

    conditions.add(condition(previous, now, POD_SCHEDULED, true, null, null));
    conditions.add(uninitialized.isEmpty()
        ? condition(previous, now, INITIALIZED, true, null, null)
        : condition(previous, now, INITIALIZED, false, "ContainersNotInitialized",
            "containers with incomplete status: " + names(uninitialized)));
    String notReadyReason = terminal ? "PodCompleted" : "ContainersNotReady";
    String notReadyMessage = terminal ? null : "containers with unready status: " + names(unready);
    conditions.add(ready
        ? condition(previous, now, CONTAINERS_READY, true, null, null)
        : condition(previous, now, CONTAINERS_READY, false, notReadyReason, notReadyMessage));
    conditions.add(ready
        ? condition(previous, now, READY, true, null, null)
        : condition(previous, now, READY, false, notReadyReason, notReadyMessage));

    return new PodStatusBuilder()
        .withPhase(phase)
        .withReason(s.reason())
        .withMessage(s.message())
        .withConditions(conditions)
        .withHostIP(EnvResolver.LOCALHOST)
        .withHostIPs(new HostIP(EnvResolver.LOCALHOST))
        .withPodIP(PodAddresses.of(pod))
        .withPodIPs(new PodIP(PodAddresses.of(pod)))
        .withStartTime(time(s.startTime()))
        .withInitContainerStatuses(s.initStatuses().isEmpty() ? null : s.initStatuses())
        .withContainerStatuses(s.statuses())
        .withQosClass(qosClass(pod))
        .build();
  }

  /**
   * The status of a pod found Running on this node after a restart: nothing runs it any more. Like a
   * node controller for a lost node, it is marked Failed with reason NodeLost; its containers are
   * reported terminated with 137 and ContainerStatusUnknown, as Kubernetes does for containers it
   * cannot locate.
   */
  static PodStatus nodeLost(Pod pod, Instant now) {
    PodStatus old = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
    List<ContainerStatus> statuses = new ArrayList<>();
    for (Container c : EnvResolver.nullSafe(pod.getSpec().getContainers())) {
      ContainerStatus previous = EnvResolver.nullSafe(old.getContainerStatuses()).stream()
          .filter(cs -> c.getName().equals(cs.getName())).findFirst().orElse(null);
      if (previous != null && previous.getState() != null && previous.getState().getTerminated() != null) {
        statuses.add(previous);
        continue;
      }
      String startedAt = previous != null && previous.getState() != null && previous.getState().getRunning() != null
          ? previous.getState().getRunning().getStartedAt() : null;
      statuses.add(new ContainerStatusBuilder(previous == null ? new ContainerStatus() : previous)
          .withName(c.getName())
          .withImage(c.getImage() == null ? "" : c.getImage())
          .withReady(false)
          .withStarted(false)
          .withState(new ContainerStateBuilder().withNewTerminated()
              .withExitCode(137)
              .withReason("ContainerStatusUnknown")
              .withMessage("The container could not be located when the pod was terminated")
              .withStartedAt(startedAt)
              .withFinishedAt(time(now))
              .endTerminated().build())
          .build());
    }
    List<PodCondition> conditions = new ArrayList<>();
    for (PodCondition c : EnvResolver.nullSafe(old.getConditions())) {
      if (c.getType().equals(READY) || c.getType().equals(CONTAINERS_READY)) {
        conditions.add(condition(old.getConditions(), now, c.getType(), false, "PodCompleted", null));
      } else {
        conditions.add(c);
      }
    }
    return new PodStatusBuilder(old)
        .withPhase("Failed")
        .withReason("NodeLost")
        .withMessage("Node " + pod.getSpec().getNodeName() + " restarted while this pod was running; its process is gone")
        .withConditions(conditions)
        .withContainerStatuses(statuses)
        .build();
  }

  /** A condition that keeps its lastTransitionTime while its status does not change. */
  static PodCondition condition(List<PodCondition> previous, Instant now, String type, boolean status, String reason,
      String message) {
    String value = status ? "True" : "False";
    String since = time(now);
    for (PodCondition p : EnvResolver.nullSafe(previous)) {
      if (type.equals(p.getType()) && value.equals(p.getStatus()) && p.getLastTransitionTime() != null) {
        since = p.getLastTransitionTime();
      }
    }
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(value)
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime(since)
        .build();
  }

  /** BestEffort without requests or limits; Guaranteed when every container's cpu and memory limits equal requests. */
  static String qosClass(Pod pod) {
    List<Container> all = EnvResolver.allContainers(pod);
    boolean any = false;
    boolean guaranteed = !all.isEmpty();
    for (Container c : all) {
      ResourceRequirements r = c.getResources();
      Map<String, Quantity> limits = r == null || r.getLimits() == null ? Map.of() : r.getLimits();
      Map<String, Quantity> requests = r == null || r.getRequests() == null ? Map.of() : r.getRequests();
      if (!limits.isEmpty() || !requests.isEmpty()) {
        any = true;
      }
      for (String resource : List.of("cpu", "memory")) {
        Quantity limit = limits.get(resource);
        Quantity request = requests.getOrDefault(resource, limit);
        if (limit == null || Quantity.getAmountInBytes(limit).compareTo(Quantity.getAmountInBytes(request)) != 0) {
          guaranteed = false;
        }
      }
    }
    if (!any) {
      return "BestEffort";
    }
    return guaranteed ? "Guaranteed" : "Burstable";
  }

  private static String names(List<String> names) {
    return "[" + String.join(" ", names) + "]";
  }
}
