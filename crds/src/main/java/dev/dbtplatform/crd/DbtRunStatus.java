package dev.dbtplatform.crd;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Everything the operator knows about a run. Only the operator writes it. */
public class DbtRunStatus {
  public RunPhase phase;
  /** CamelCase reason of the phase: InvalidSpec, StepFailed, Timeout, PodDeleted, Cancelled, ... */
  public String reason;
  public String message;
  public Long observedGeneration;
  public List<Condition> conditions = new ArrayList<>();

  public ResolvedRun resolved;

  public String podName;
  public String podUid;
  public String volumeName;

  /** When the pod was created: the end of queueing. */
  public String podCreatedAt;
  /** When dbt started: the end of prep. */
  public String startedAt;
  public String finishedAt;
  /** Seconds from the run's creation to its pod's creation: resolving, waiting for its turn, creating the pod. */
  public Double queuedSeconds;
  /**
   * Seconds the run waited for its turn under the queueing rules (a run of the same job ahead of
   * it, no free run slot in its account): from the pass that first held it back to the pass that
   * let it go, just before its pod is created, or to its end if it ended waiting; 0 when it never
   * waited. Part of queuedSeconds.
   */
  public Double waitSeconds;
  /** Seconds from pod creation to the runtime starting (scheduling, image pull, volume attach). */
  public Double prepSeconds;
  /** Seconds from the runtime starting to the end. */
  public Double runSeconds;
  /** Total, for people: "1m5s". */
  public String duration;

  public String gitSha;
  public String gitBranch;
  public List<RunStepStatus> steps = new ArrayList<>();

  public RunLogs logs;

  @JsonIgnore
  public RunPhase phaseOrQueued() {
    return phase == null ? RunPhase.Queued : phase;
  }
}
