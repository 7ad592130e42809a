package dev.dbtplatform.api.runs;

import java.time.OffsetDateTime;

/** A run the API is about to create a DbtRun for: history has it as Queued from the start. */
public record NewRun(long id, long accountId, String namespace, String name,
                     Long jobId, Long projectId, Long environmentId,
                     String jobName, String environmentName, String projectName,
                     Trigger trigger, Long rerunOf, String gitBranch, OffsetDateTime createdAt) {}
