package dev.dbtplatform.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The API part of `make run`: triggers the sample job through the dbt Cloud-compatible API, as
 * Airflow or dbt-cloud-cli would, polls the run until it is complete and its artifacts are saved,
 * and downloads run_results.json, printing each call as the curl command that does the same.
 * Over HTTPS, trusting the local CA and nothing else, as a user's client would.
 */
final class ApiDemo {
  private static final Duration POLL = Duration.ofSeconds(1);

  private final String baseUrl;
  private final long accountId;
  private final PrintStream out;
  private final ApiClient api;
  private final String curl;

  ApiDemo(String baseUrl, Path caCertificate, long accountId, String token, PrintStream out) {
    this.baseUrl = baseUrl;
    this.accountId = accountId;
    this.out = out;
    this.api = new ApiClient(baseUrl, caCertificate, token);
    this.curl = "curl --cacert " + LocalPlatformMain.shown(caCertificate);
  }

  /** @return the finished run as the API shows it, or null when it did not finish in time */
  JsonNode triggerAndFollow(long jobId, Duration timeout) throws IOException, InterruptedException {
    String account = "/api/v2/accounts/" + accountId;
    String triggerBody = "{\"cause\": \"Triggered by make run\"}";
    out.println("$ " + curl + " -X POST -H \"Authorization: Token $TOKEN\" -H 'Content-Type: application/json' \\");
    out.println("    -d '" + triggerBody + "' " + baseUrl + account + "/jobs/" + jobId + "/run/");
    JsonNode run = call("POST", account + "/jobs/" + jobId + "/run/", triggerBody);
    long runId = run.get("id").asLong();
    out.printf("  run %d: %s%n", runId, run.get("status_humanized").asText());

    String runPath = account + "/runs/" + runId + "/";
    out.println("$ " + curl + " -H \"Authorization: Token $TOKEN\" " + baseUrl + runPath + "?include_related=run_steps");
    Instant deadline = Instant.now().plus(timeout);
    String last = run.get("status_humanized").asText();
    while (Instant.now().isBefore(deadline)) {
      run = call("GET", runPath + "?include_related=run_steps", null);
      String status = run.get("status_humanized").asText();
      if (!status.equals(last)) {
        out.printf("  run %d: %s%n", runId, status);
        last = status;
      }
      if (run.get("is_complete").asBoolean() && run.get("artifacts_saved").asBoolean()) {
        break;
      }
      Thread.sleep(POLL.toMillis());
    }
    if (!run.get("is_complete").asBoolean() || !run.get("artifacts_saved").asBoolean()) {
      out.printf("  run %d did not finish with its artifacts saved within %s%n", runId, timeout);
      return null;
    }
    out.printf("  run %d: %s in %s (queued %s), %d steps, artifacts saved%n", runId, run.get("status_humanized").asText(),
        run.get("duration").asText(), run.get("queued_duration").asText(), run.get("run_steps").size());

    String artifact = runPath + "artifacts/run_results.json";
    out.println("$ " + curl + " -H \"Authorization: Token $TOKEN\" " + baseUrl + artifact);
    JsonNode results = ApiClient.JSON.readTree(send("GET", artifact, null).body());
    out.printf("  run_results.json: %d results, dbt %s%n", results.path("results").size(),
        results.path("metadata").path("dbt_version").asText("?"));
    return run;
  }

  /**
   * Each step of a run as the API shows it, and the lines of its log that say what the run
   * deferred to.
   */
  void printSteps(long runId) throws IOException, InterruptedException {
    JsonNode run = call("GET", "/api/v2/accounts/" + accountId + "/runs/" + runId + "/?include_related=run_steps", null);
    for (JsonNode step : run.path("run_steps")) {
      out.printf("    step %d %s: %s%n", step.path("index").asInt(), step.path("name").asText(),
          step.path("status_humanized").asText());
      step.path("logs").asText("").lines()
          .filter(line -> line.contains("Deferring to") || line.contains("No state to defer to")
              || line.contains("With the deferred state") || line.contains("Nothing to do"))
          .forEach(line -> out.println("      " + line.strip()));
    }
  }

  private JsonNode call(String method, String path, String body) throws IOException, InterruptedException {
    return api.data(method, path, body);
  }

  private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
    return api.send(method, path, body);
  }
}
