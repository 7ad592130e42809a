package dev.dbtplatform.api.history;

import dev.dbtplatform.api.db.ObjectIds;
import dev.dbtplatform.api.db.ObjectIds.Kind;
import dev.dbtplatform.api.runs.ObservedRun;
import dev.dbtplatform.api.runs.RunStatus;
import dev.dbtplatform.api.runs.RunTimes;
import dev.dbtplatform.api.runs.StepResult;
import dev.dbtplatform.api.runs.Trigger;
import dev.dbtplatform.contract.CheckboxSteps;
import dev.dbtplatform.contract.StepNames;
import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunSpec;
import dev.dbtplatform.crd.DbtRunStatus;
import dev.dbtplatform.crd.ResolvedRun;
import dev.dbtplatform.crd.RunStepStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns a DbtRun, as the cluster has it, into what run history records of it. */
final class RunObservations {
  static final String DEFAULT_CAUSE = "Triggered via kubectl";

  private final ObjectIds ids;

  RunObservations(ObjectIds ids) {
    this.ids = ids;
  }

  ObservedRun observe(long accountId, DbtRun run) {
    var meta = run.getMetadata();
    Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
    DbtRunSpec spec = run.getSpec() == null ? new DbtRunSpec() : run.getSpec();
    DbtRunStatus status = run.getStatus() == null ? new DbtRunStatus() : run.getStatus();
    ResolvedRun resolved = status.resolved;
    String namespace = meta.getNamespace();

    String jobName = resolved != null ? resolved.jobName : spec.jobRef == null ? null : spec.jobRef.name;
    String environmentName = resolved != null ? resolved.environmentName
        : spec.environmentRef == null ? null : spec.environmentRef.name;
    String projectName = resolved != null ? resolved.projectName : spec.projectRef == null ? null : spec.projectRef.name;
    Long jobId = idOf(labels.get(ApiGroup.JOB_ID_LABEL), accountId, Kind.DbtJob, namespace, jobName);
    Long environmentId = idOf(labels.get(ApiGroup.ENVIRONMENT_ID_LABEL), accountId, Kind.DbtEnvironment, namespace,
        environmentName);
    Long projectId = idOf(labels.get(ApiGroup.PROJECT_ID_LABEL), accountId, Kind.DbtProject, namespace, projectName);

    String cause = resolved != null && resolved.runReason != null ? resolved.runReason
        : spec.runReason != null ? spec.runReason : DEFAULT_CAUSE;
    String category = spec.runReasonCategory == null ? "other" : spec.runReasonCategory.name();
    RunStatus runStatus = RunStatus.of(status.phase);
    boolean flushed = status.logs != null && status.logs.flushedAt != null;

    return new ObservedRun(accountId, namespace, meta.getName(), meta.getUid(), parseId(labels.get(ApiGroup.RUN_ID_LABEL)),
        jobId, projectId, environmentId, jobName, environmentName, projectName,
        new Trigger(cause, category, Map.of()),
        runStatus, runStatus.phase.name(), status.reason, status.message,
        status.gitBranch, status.gitSha,
        RunTimes.parse(meta.getCreationTimestamp()), RunTimes.parse(status.startedAt), RunTimes.parse(status.finishedAt),
        status.queuedSeconds, status.prepSeconds, status.runSeconds,
        steps(status, resolved, runStatus),
        status.logs == null ? null : status.logs.bucket, status.logs == null ? null : status.logs.prefix, flushed,
        runStatus.isComplete() && status.volumeName != null && !flushed);
  }

  /**
   * The steps the runtime reported; before it has, the steps to come, as Queued, so that clients
   * polling a run see what it will do.
   */
  private static List<StepResult> steps(DbtRunStatus status, ResolvedRun resolved, RunStatus runStatus) {
    List<StepResult> steps = new ArrayList<>();
    if (status.steps != null && !status.steps.isEmpty()) {
      for (RunStepStatus s : status.steps) {
        steps.add(new StepResult(s.index == null ? steps.size() + 1 : s.index, s.name, s.command, s.status,
            s.startedAt, s.finishedAt, s.exitCode));
      }
    } else if (resolved != null && resolved.steps != null && !runStatus.isComplete()) {
      int index = 1;
      for (String command : CheckboxSteps.commands(resolved.steps, Boolean.TRUE.equals(resolved.runGenerateSources),
          Boolean.TRUE.equals(resolved.generateDocs))) {
        steps.add(new StepResult(index++, StepNames.dbt(command), command, "Queued", null, null, null));
      }
    }
    return steps;
  }

  private Long idOf(String label, long accountId, Kind kind, String namespace, String name) {
    Long labelled = parseId(label);
    if (labelled != null) {
      return labelled;
    }
    return name == null || name.isBlank() ? null : ids.idFor(accountId, kind, namespace, name);
  }

  static Long parseId(String text) {
    if (text == null || text.isEmpty() || text.length() > 18 || !text.chars().allMatch(Character::isDigit)) {
      return null;
    }
    return Long.parseLong(text);
  }
}
