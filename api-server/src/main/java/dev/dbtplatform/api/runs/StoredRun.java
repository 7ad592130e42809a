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
                        boolean logsPending, OffsetDateTime updatedAt) {
  /**
   * How long a run that has ended may show as Running while its logs and artifacts wait for the
   * log flush (see {@link #asSeenBy}).
   */
  public static final java.time.Duration ARTIFACTS_GRACE = java.time.Duration.ofMinutes(3);

  /** The same run with other steps: those its pod's log shows while it runs. */
  public StoredRun withSteps(List<StepResult> live) {
    return new StoredRun(id, accountId, namespace, name, uid, jobId, projectId, environmentId, jobName, environmentName,
        projectName, trigger, rerunOf, status, phase, reason, statusMessage, gitBranch, gitSha, createdAt, startedAt,
        finishedAt, queuedSeconds, prepSeconds, runSeconds, live, logsBucket, logsPrefix, artifactsSaved, logsPending,
        updatedAt);
  }

  /**
   * As clients should see the run at {@code now}: a run that has ended but whose logs and
   * artifacts are still on its volume, waiting for the log flush, shows as Running, not yet finished, for at most
   * {@link #ARTIFACTS_GRACE} after it ended. Clients fetch run_results.json the moment a run is complete
   * (Airflow's lineage, dagster-dbt, prefect-dbt), so complete must mean the artifacts are there.
   * An object store that stays down past the grace does not hold the run's status hostage.
   */
  public StoredRun asSeenBy(OffsetDateTime now) {
    boolean saving = status.isComplete() && logsPending && finishedAt != null
        && now.isBefore(finishedAt.plus(ARTIFACTS_GRACE));
    if (!saving) {
      return this;
    }
    return new StoredRun(id, accountId, namespace, name, uid, jobId, projectId, environmentId, jobName, environmentName,
        projectName, trigger, rerunOf, RunStatus.RUNNING, phase, reason, statusMessage, gitBranch, gitSha, createdAt,
        startedAt, null, queuedSeconds, prepSeconds, runSeconds, steps, logsBucket, logsPrefix, false, true, updatedAt);
  }

  /**
   * The index of the step that ended the run by failing, or 0 when none did. That is the last
   * failed one: a failed source freshness checkbox step does not end a run, the steps after it run.
   */
  public int failedStep() {
    return steps.stream().filter(s -> "Failed".equals(s.status())).mapToInt(StepResult::index).max().orElse(0);
  }
}
