package dev.dbtplatform.api.runs;

import java.util.List;

/**
 * A run the API is asked to start for a job, with the overrides of dbt Cloud's trigger body;
 * null means "as the job says".
 */
public record RunRequest(long jobId, Trigger trigger, List<String> steps, Integer threads, String target,
                         String schema, Long timeoutSeconds, String gitRef, Long rerunOf) {}
