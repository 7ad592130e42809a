package dev.dbtplatform.local.clients;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The calls of prefect-dbt's {@code prefect_dbt.cloud.clients.DbtCloudAdministrativeClient}
 * (behind DbtCloudJob, trigger_dbt_cloud_job_run_and_wait_for_completion and the run tasks), as
 * it puts them on the wire.
 *
 * <p>An httpx AsyncClient with base URL {@code https://<domain>/api/v2/accounts/<id>} and
 * {@code Authorization: Bearer}; paths keep their trailing slash; httpx repeats list params and
 * writes {@code json=} bodies compact, with Content-Type application/json only when there is one.
 */
public final class PrefectDbtCloudClient {
  static final String USER_AGENT = "prefect-3.9.1";

  private final WireClient wire;
  private final long accountId;
  private final Map<String, String> headers;

  public PrefectDbtCloudClient(WireClient wire, long accountId, String token) {
    this.wire = wire;
    this.accountId = accountId;
    this.headers = Map.of("Authorization", "Bearer " + token, "User-Agent", USER_AGENT,
        "x-dbt-partner-source", "prefect", "Accept", "*/*");
  }

  /** DbtCloudAdministrativeClient.get_job (get_dbt_cloud_job_info, DbtCloudJob.get_job). */
  public Reply getJob(long jobId) {
    return wire.send("GET", base() + "/jobs/" + jobId + "/", headers, null);
  }

  /**
   * DbtCloudAdministrativeClient.trigger_job_run with default TriggerJobRunOptions: dumped
   * excluding None, which leaves the cause, naming the flow run it came from.
   */
  public Reply triggerJobRun(long jobId, String flowRunName) {
    Map<String, String> withBody = new HashMap<>(headers);
    withBody.put("Content-Type", "application/json");
    return wire.send("POST", base() + "/jobs/" + jobId + "/run/", withBody,
        PythonJson.compact(Map.of("cause", "Triggered via Prefect in flow run " + flowRunName)));
  }

  /** DbtCloudAdministrativeClient.get_run: wait_for_dbt_cloud_job_run without, the retry flow with ["run_steps"]. */
  public Reply getRun(long runId, List<String> includeRelated) {
    return wire.send("GET", base() + "/runs/" + runId + "/" + QueryString.of().repeated("include_related", includeRelated),
        headers, null);
  }

  /** DbtCloudAdministrativeClient.list_run_artifacts (after a successful wait, and DbtCloudJobRun.fetch_result). */
  public Reply listRunArtifacts(long runId, Integer step) {
    return wire.send("GET", base() + "/runs/" + runId + "/artifacts/" + QueryString.of().param("step", step),
        headers, null);
  }

  /** DbtCloudAdministrativeClient.get_run_artifact: .json() when the path ends in .json. */
  public Reply getRunArtifact(long runId, String path, Integer step) {
    return wire.send("GET", base() + "/runs/" + runId + "/artifacts/" + path + QueryString.of().param("step", step),
        headers, null);
  }

  private String base() {
    return "/api/v2/accounts/" + accountId;
  }
}
