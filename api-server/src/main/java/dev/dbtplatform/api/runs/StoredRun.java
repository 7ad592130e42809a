package dev.dbtplatform.api.runs;

import java.time.OffsetDateTime;
import java.util.List;

/** A run as history holds it: what the API shows, whether or not its DbtRun still exists. */
public record StoredRun(long id, long accountId, String namespace, String name, String uid,
                        Long jobId, Long projectId, Long environmentId,
                        String jobName, String environmentName, String projectName,
                        Trigger trigger, Long rerunOf,
                        RunStatus status, String phase, String reason, String statusMessage,
                        String gitBranch, String gitSha,
                        OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime finishedAt,
                        Double queuedSeconds, Double prepSeconds, Double runSeconds,
                        List<StepResult> steps, String logsBucket, String logsPrefix, boolean artifactsSaved,
                        OffsetDateTime updatedAt) {

  /** The same run with other steps: those its pod's log shows while it runs. */
  public StoredRun withSteps(List<StepResult> live) {
    return new StoredRun(id, accountId, namespace, name, uid, jobId, projectId, environmentId, jobName, environmentName,
        projectName, trigger, rerunOf, status, phase, reason, statusMessage, gitBranch, gitSha, createdAt, startedAt,
        finishedAt, queuedSeconds, prepSeconds, runSeconds, live, logsBucket, logsPrefix, artifactsSaved, updatedAt);
  }

  /** The index of the first step that did not succeed, or 0 when none failed. */
  public int firstFailedStep() {
    return steps.stream().filter(s -> "Failed".equals(s.status())).mapToInt(StepResult::index).findFirst().orElse(0);
  }
}
