package dev.dbtplatform.api.runs;

import java.util.List;

/**
 * A run the API is asked to start for a job, with the overrides of dbt Cloud's trigger body;
 * null means "as the job says".
 *
 * @param generateDocs generate_docs_override: end with dbt docs generate, whose failure does not fail the run
 * @param runGenerateSources start with dbt source freshness, whose failure does not fail the run
 */
public record RunRequest(long jobId, Trigger trigger, List<String> steps, Integer threads, String target,
                         String schema, Long timeoutSeconds, String gitRef, Long rerunOf,
                         Boolean generateDocs, Boolean runGenerateSources) {}
