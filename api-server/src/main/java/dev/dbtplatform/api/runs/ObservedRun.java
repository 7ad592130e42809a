package dev.dbtplatform.api.runs;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A DbtRun as the history recorder sees it in the cluster. {@code runId} is the id the API gave
 * the run when it created it (from the run-id label), null for runs created any other way.
 * {@code logsPending}: the run has ended and its volume still waits for the log flush.
 */
public record ObservedRun(long accountId, String namespace, String name, String uid, Long runId,
                          Long jobId, Long projectId, Long environmentId,
                          String jobName, String environmentName, String projectName,
                          Trigger trigger,
                          RunStatus status, String phase, String reason, String message,
                          String gitBranch, String gitSha,
                          OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime finishedAt,
                          Double queuedSeconds, Double prepSeconds, Double runSeconds,
                          List<StepResult> steps, String logsBucket, String logsPrefix, boolean artifactsSaved,
                          boolean logsPending) {}
