package dev.dbtplatform.contract;

import java.util.List;
import java.util.Map;

/**
 * Everything the run runtime needs to know about a run, resolved by the operator from the DbtRun
 * and its project and environment. It never holds a secret: warehouse and git credentials arrive
 * as mounted files.
 *
 * @param accountId dbt Cloud style account id, "0" when the run is not tied to an account
 * @param namespace the DbtRun's namespace
 * @param runName the DbtRun's name
 * @param runId the numeric or textual run id exposed as DBT_CLOUD_RUN_ID
 * @param jobId DBT_CLOUD_JOB_ID, may be null
 * @param projectId DBT_CLOUD_PROJECT_ID, may be null
 * @param environmentId DBT_CLOUD_ENVIRONMENT_ID, may be null
 * @param runReason DBT_CLOUD_RUN_REASON, for example "Triggered via kubectl"
 * @param runReasonCategory DBT_CLOUD_RUN_REASON_CATEGORY: scheduled, api, other, ...
 * @param gitUrl repository to clone
 * @param gitRef branch, tag or commit sha; null for the repository's default branch
 * @param subdirectory the dbt project's folder inside the repository, null for the root
 * @param steps dbt commands, each starting with "dbt "
 * @param target dbt target name
 * @param schema target schema (dataset on BigQuery) instead of the warehouse connection's; null to keep it
 * @param threads dbt threads
 * @param timeoutSeconds how long all steps together may take; 0 for no limit
 * @param adapterType dbt adapter of the warehouse connection (postgres, duckdb, ...)
 * @param env extra environment variables for dbt (not secrets)
 * @param sourceFreshness dbt Cloud's "run source freshness": {@code dbt source freshness} runs
 *     first, and its failure does not fail the run
 * @param generateDocs dbt Cloud's "generate docs on run": {@code dbt docs generate} runs after the
 *     steps when they all succeeded, and its failure does not fail the run
 * @param deferral what the run defers to, for its log (for example "the last successful run
 *     nightly-202611240200 of DbtJob nightly"); null when it does not defer. The manifest itself
 *     arrives on the run volume at {@link RunVolumeLayout#deferredManifest}.
 */
public record RunConfig(
    String accountId,
    String namespace,
    String runName,
    String runId,
    String jobId,
    String projectId,
    String environmentId,
    String runReason,
    String runReasonCategory,
    String gitUrl,
    String gitRef,
    String subdirectory,
    List<String> steps,
    String target,
    String schema,
    int threads,
    long timeoutSeconds,
    String adapterType,
    Map<String, String> env,
    boolean sourceFreshness,
    boolean generateDocs,
    String deferral) {

  public RunConfig {
    steps = steps == null ? List.of() : List.copyOf(steps);
    env = env == null ? Map.of() : Map.copyOf(env);
  }

  public String toJson() {
    return Json.write(this);
  }

  public static RunConfig fromJson(String json) {
    return Json.read(json, RunConfig.class);
  }
}
