package dev.dbtplatform.local.clients;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The calls of dagster-dbt's current dbt Cloud client ({@code dagster_dbt.cloud_v2.client.
 * DbtCloudWorkspaceClient}, behind DbtCloudWorkspace and {@code @dbt_cloud_assets}), as it puts
 * them on the wire.
 *
 * <p>A requests Session with Accept and Content-Type application/json and
 * {@code Authorization: Token}; artifact calls use a second session without the Accept header.
 * URLs are {@code <access_url>/api/v2/accounts/<id>/<endpoint>} with no trailing slash; bodies
 * go as {@code json=}, so a call without data has no body at all.
 */
public final class DagsterDbtCloudWorkspaceClient {
  static final String USER_AGENT = "python-requests/2.34.2";
  /** What Python's {@code datetime.isoformat()} writes for an aware datetime with microseconds. */
  private static final DateTimeFormatter ISOFORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx");

  private final WireClient wire;
  private final long accountId;
  private final Map<String, String> session;
  private final Map<String, String> artifactSession;

  public DagsterDbtCloudWorkspaceClient(WireClient wire, long accountId, String token) {
    this.wire = wire;
    this.accountId = accountId;
    this.session = Map.of("User-Agent", USER_AGENT, "Accept", "application/json", "Content-Type", "application/json",
        "Authorization", "Token " + token);
    this.artifactSession = Map.of("User-Agent", USER_AGENT, "Accept", "*/*", "Content-Type", "application/json",
        "Authorization", "Token " + token);
  }

  /** DbtCloudWorkspaceClient.get_account_details (verify_connection, account_name). */
  public Reply getAccountDetails() {
    return wire.send("GET", base(), session, null);
  }

  /** DbtCloudWorkspaceClient.get_project_details (DbtCloudWorkspace.project_name): v2, not v3. */
  public Reply getProjectDetails(long projectId) {
    return get("projects/" + projectId, QueryString.of());
  }

  /** DbtCloudWorkspaceClient.get_environment_details (DbtCloudWorkspace.environment_name): v2, account-wide. */
  public Reply getEnvironmentDetails(long environmentId) {
    return get("environments/" + environmentId, QueryString.of());
  }

  /** DbtCloudWorkspaceClient.list_jobs, first page: it also sends the account id as a param. */
  public Reply listJobs(long projectId, long environmentId) {
    return get("jobs", QueryString.of().param("account_id", accountId).param("environment_id", environmentId)
        .param("project_id", projectId).param("limit", 100).param("offset", 0));
  }

  /** DbtCloudWorkspaceClient.get_job_details. */
  public Reply getJobDetails(long jobId) {
    return get("jobs/" + jobId, QueryString.of());
  }

  /**
   * DbtCloudWorkspaceClient.trigger_job_run, as DbtCloudJobRunHandler.run calls it for
   * {@code workspace.cli(args)}: the steps are {@code "dbt " + args}.
   */
  public Reply triggerJobRun(long jobId, List<String> stepsOverride) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("steps_override", stepsOverride);
    data.put("cause", "Triggered by dagster.");
    return wire.send("POST", base() + "/jobs/" + jobId + "/run", session, PythonJson.dumps(data));
  }

  /** DbtCloudWorkspaceClient.get_runs_batch (the run sensor): finished runs in a range, oldest first. */
  public Reply getRunsBatch(long projectId, long environmentId, OffsetDateTime finishedFrom, OffsetDateTime finishedTo) {
    String range = "[\"" + ISOFORMAT.format(finishedFrom) + "\", \"" + ISOFORMAT.format(finishedTo) + "\"]";
    return get("runs", QueryString.of().param("account_id", accountId).param("environment_id", environmentId)
        .param("project_id", projectId).param("limit", 100).param("offset", 0).param("finished_at__range", range)
        .param("order_by", "finished_at"));
  }

  /** DbtCloudWorkspaceClient.get_run_details, which poll_run calls until the status is terminal. */
  public Reply getRunDetails(long runId) {
    return get("runs/" + runId, QueryString.of());
  }

  /** DbtCloudWorkspaceClient.list_run_artifacts. */
  public Reply listRunArtifacts(long runId) {
    return wire.send("GET", base() + "/runs/" + runId + "/artifacts", artifactSession, null);
  }

  /** DbtCloudWorkspaceClient.get_run_artifact (get_run_results_json, get_run_manifest_json). */
  public Reply getRunArtifact(long runId, String path) {
    return wire.send("GET", base() + "/runs/" + runId + "/artifacts/" + path, artifactSession, null);
  }

  private Reply get(String endpoint, QueryString query) {
    return wire.send("GET", base() + "/" + endpoint + query, session, null);
  }

  private String base() {
    return "/api/v2/accounts/" + accountId;
  }
}
