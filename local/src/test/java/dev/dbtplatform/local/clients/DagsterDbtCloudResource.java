package dev.dbtplatform.local.clients;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * The calls of dagster-dbt's first dbt Cloud resource ({@code dagster_dbt.cloud.resources}:
 * DbtCloudClientResource, dbt_cloud_resource, both DbtCloudResourceV2 underneath), as it puts
 * them on the wire.
 *
 * <p>Every request has {@code Authorization: Bearer}, Content-Type application/json and, since
 * it always sends {@code data=json.dumps(data)}, a body: the text {@code null} on GETs. URLs are
 * {@code urljoin(host + "api/v2/accounts/", endpoint)}, query strings written into the endpoint
 * by hand; redirects are refused.
 */
public final class DagsterDbtCloudResource {
  static final String USER_AGENT = "dagster-dbt/1.13.28";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WireClient wire;
  private final long accountId;
  private final Map<String, String> headers;

  public DagsterDbtCloudResource(WireClient wire, long accountId, String token) {
    this.wire = wire;
    this.accountId = accountId;
    this.headers = Map.of("User-Agent", USER_AGENT, "Content-Type", "application/json",
        "Authorization", "Bearer " + token, "Accept", "*/*");
  }

  /** DbtCloudResourceV2.get_job. */
  public Reply getJob(long jobId) {
    return request("GET", "jobs/" + jobId + "/", null);
  }

  /**
   * DbtCloudResourceV2.update_job, as run_job calls it first (disable_schedule_on_trigger is on by
   * default): the job as get_job answered it, deep-merged with {@code triggers.schedule = False},
   * posted back whole.
   */
  public Reply disableSchedule(long jobId, JsonNode jobAsAnswered) {
    ObjectNode merged = jobAsAnswered.deepCopy();
    ObjectNode triggers = merged.get("triggers") instanceof ObjectNode t ? t : merged.putObject("triggers");
    triggers.put("schedule", false);
    return request("POST", "jobs/" + jobId + "/", JSON.convertValue(merged, Object.class));
  }

  /** DbtCloudResourceV2.run_job: no overrides, so the kwargs are only the default cause. */
  public Reply runJob(long jobId) {
    return request("POST", "jobs/" + jobId + "/run/", Map.of("cause", "Triggered via Dagster"));
  }

  /**
   * DbtCloudResourceV2.get_runs with its defaults (order_by -id, offset 0, limit 100): urlencode
   * without doseq, so include_related goes out as the text of a Python list, {@code []} when empty.
   */
  public Reply getRuns(String includeRelatedAsPythonList, long jobId) {
    String query = QueryString.of().param("include_related", includeRelatedAsPythonList).param("order_by", "-id")
        .param("offset", 0).param("limit", 100).param("job_definition_id", jobId).toString();
    return request("GET", "runs/" + query, null);
  }

  /** DbtCloudResourceV2.get_run: include_related joined with commas into the URL as it is. */
  public Reply getRun(long runId, List<String> includeRelated) {
    String query = includeRelated == null || includeRelated.isEmpty() ? ""
        : "?include_related=" + String.join(",", includeRelated);
    return request("GET", "runs/" + runId + "/" + query, null);
  }

  /** DbtCloudResourceV2.cancel_run (poll_run calls it on timeout). */
  public Reply cancelRun(long runId) {
    return request("POST", "runs/" + runId + "/cancel/", null);
  }

  /** DbtCloudResourceV2.list_run_artifacts without a step. */
  public Reply listRunArtifacts(long runId) {
    return request("GET", "runs/" + runId + "/artifacts/", null);
  }

  /** DbtCloudResourceV2.get_run_artifact (get_run_results, get_manifest): read as text, then json.loads. */
  public Reply getRunArtifact(long runId, String path) {
    return request("GET", "runs/" + runId + "/artifacts/" + path, null);
  }

  private Reply request(String method, String endpoint, Object data) {
    return wire.send(method, "/api/v2/accounts/" + accountId + "/" + endpoint, headers, PythonJson.dumps(data));
  }
}
