package dev.dbtplatform.local.clients;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The calls of Apache Airflow's dbt Cloud provider (apache-airflow-providers-dbt-cloud 4.x,
 * {@code airflow.providers.dbt.cloud.hooks.dbt.DbtCloudHook}), as it puts them on the wire.
 *
 * <p>The hook is an HttpHook with base URL {@code https://<tenant>/} and endpoints
 * {@code api/<version>/accounts/<endpoint>}; its TokenAuth sets User-Agent, Content-Type and
 * {@code Authorization: Token} on every request, GETs included; requests adds its default
 * Accept. GET payloads go out as query params (requests drops None values and repeats list keys),
 * POST payloads as the body.
 */
public final class AirflowDbtCloudHook {
  static final String USER_AGENT = "apache-airflow-providers-dbt-cloud-v4.11.1";

  private final WireClient wire;
  private final long accountId;
  private final Map<String, String> headers;

  public AirflowDbtCloudHook(WireClient wire, long accountId, String token) {
    this.wire = wire;
    this.accountId = accountId;
    this.headers = Map.of("User-Agent", USER_AGENT, "Content-Type", "application/json",
        "Authorization", "Token " + token, "Accept", "*/*");
  }

  /** DbtCloudHook.test_connection and list_accounts: with no endpoint the hook requests its base URL. */
  public Reply testConnection() {
    return get("/", QueryString.of());
  }

  /** DbtCloudHook.get_account. */
  public Reply getAccount() {
    return get(v2(""), QueryString.of());
  }

  /** DbtCloudHook.list_projects (v3, paginated), as get_job_by_name calls it. */
  public Reply listProjects(String nameContains) {
    return get(v3("projects/"), QueryString.of().param("name__icontains", nameContains));
  }

  /** DbtCloudHook.get_project (v3). */
  public Reply getProject(long projectId) {
    return get(v3("projects/" + projectId + "/"), QueryString.of());
  }

  /** DbtCloudHook.list_environments (v3, paginated), as get_job_by_name calls it. */
  public Reply listEnvironments(long projectId, String nameContains) {
    return get(v3("projects/" + projectId + "/environments/"), QueryString.of().param("name__icontains", nameContains));
  }

  /** DbtCloudHook.list_jobs (paginated): order_by and project_id always in the payload, the rest when given. */
  public Reply listJobs(String orderBy, Long projectId, Long environmentId, String nameContains) {
    return get(v2("jobs/"), QueryString.of().param("order_by", orderBy).param("project_id", projectId)
        .param("environment_id", environmentId).param("name__icontains", nameContains));
  }

  /** DbtCloudHook.get_job: the one endpoint without a trailing slash. */
  public Reply getJob(long jobId) {
    return get(v2("jobs/" + jobId), QueryString.of());
  }

  /**
   * DbtCloudHook.trigger_job_run, as DbtCloudRunJobOperator calls it: the body is
   * {@code json.dumps} of cause, steps_override and schema_override (None when unset), then
   * additional_run_config.
   */
  public Reply triggerJobRun(long jobId, String cause) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("cause", cause);
    payload.put("steps_override", null);
    payload.put("schema_override", null);
    return wire.send("POST", v2("jobs/" + jobId + "/run/"), headers, PythonJson.dumps(payload));
  }

  /**
   * DbtCloudHook.get_job_runs, as DbtCloudRunJobOperator calls it with reuse_existing_run: the
   * statuses are {@code str(list)} of the non-terminal ones.
   */
  public Reply nonTerminalRunsOfJob(long jobId) {
    return get(v2("runs/"), QueryString.of().param("job_definition_id", jobId).param("status__in", "[1, 2, 3]")
        .param("order_by", "-created_at"));
  }

  /** DbtCloudHook.get_job_runs, as trigger_job_run calls it with retry_from_failure: the job's latest run. */
  public Reply latestRunOfJob(long jobId) {
    return get(v2("runs/"), QueryString.of().param("job_definition_id", jobId).param("order_by", "-created_at")
        .param("limit", 1));
  }

  /** DbtCloudHook.list_job_runs (paginated). */
  public Reply listJobRuns(List<String> includeRelated, Long jobDefinitionId, String orderBy) {
    return get(v2("runs/"), QueryString.of().repeated("include_related", includeRelated)
        .param("job_definition_id", jobDefinitionId).param("order_by", orderBy));
  }

  /** DbtCloudHook.get_job_run; get_job_run_status calls it without include_related while it waits. */
  public Reply getJobRun(long runId, List<String> includeRelated) {
    return get(v2("runs/" + runId + "/"), QueryString.of().repeated("include_related", includeRelated));
  }

  /**
   * DbtCloudHook.get_job_details, the async call (aiohttp) of DbtCloudRunJobTrigger and the
   * deferrable sensor: the same URL and headers, from an aiohttp session.
   */
  public Reply getJobDetailsAsync(long runId) {
    return get(v2("runs/" + runId + "/"), QueryString.of());
  }

  /** DbtCloudHook.cancel_job_run (DbtCloudRunJobOperator.on_kill): a POST without a body. */
  public Reply cancelJobRun(long runId) {
    return wire.send("POST", v2("runs/" + runId + "/cancel/"), headers, null);
  }

  /** DbtCloudHook.list_job_run_artifacts; step None is dropped from the params. */
  public Reply listJobRunArtifacts(long runId, Integer step) {
    return get(v2("runs/" + runId + "/artifacts/"), QueryString.of().param("step", step));
  }

  /** DbtCloudHook.get_job_run_artifact (DbtCloudGetJobRunArtifactOperator, OpenLineage per step). */
  public Reply getJobRunArtifact(long runId, String path, Integer step) {
    return get(v2("runs/" + runId + "/artifacts/" + path), QueryString.of().param("step", step));
  }

  private Reply get(String path, QueryString query) {
    return wire.send("GET", path + query, headers, null);
  }

  private String v2(String endpoint) {
    return "/api/v2/accounts/" + accountId + "/" + endpoint;
  }

  private String v3(String endpoint) {
    return "/api/v3/accounts/" + accountId + "/" + endpoint;
  }
}
