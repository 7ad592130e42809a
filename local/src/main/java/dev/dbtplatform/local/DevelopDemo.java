package dev.dbtplatform.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The develop loop of `make run`, through the API as an editor would drive it, with the demo
 * user's personal token: open a session, add a model, compile it, build it, preview it, commit
 * and push it to a branch of the project's git remote, stop the session, and resume it by the
 * next request, which finds the edit still there.
 */
final class DevelopDemo {
  static final String MODEL = "customer_count";
  static final String MODEL_PATH = "models/marts/" + MODEL + ".sql";
  static final String MODEL_SQL = "-- added in a develop session\nselect count(*) as customers from {{ ref('stg_customers') }}\n";
  static final String BRANCH = "alice/customer-count";
  private static final Duration POLL = Duration.ofMillis(500);

  private final ApiClient api;
  private final String sessions;
  private final PrintStream out;

  /** What the loop did, for whoever checks it. */
  record Outcome(long sessionId, String compiledSql, JsonNode preview, String pushedSha, String resumedContent) {}

  DevelopDemo(String baseUrl, Path caCertificate, long accountId, String personalToken, PrintStream out) {
    this.api = new ApiClient(baseUrl, caCertificate, personalToken);
    this.sessions = "/api/v3/accounts/" + accountId + "/develop/sessions/";
    this.out = out;
  }

  Outcome run(long environmentId, String credentialsSecret, Duration timeout) throws IOException, InterruptedException {
    JsonNode session = api.data("POST", sessions, Map.of("environment_id", environmentId,
        "credentials_secret_name", credentialsSecret));
    long id = session.get("id").asLong();
    out.printf("  POST %s -> session %d (%s)%n", sessions, id, session.get("state").asText());
    awaitState(id, "ready", timeout);
    String ide = sessions + id + "/ide";
    out.println("  session " + id + " is ready; its workspace is served at " + ide + "/");

    api.json("PUT", ide + "/files?path=" + MODEL_PATH, Map.of("content", MODEL_SQL));
    out.println("  PUT  .../ide/files?path=" + MODEL_PATH + "   (a new model)");
    String compiled = api.json("POST", ide + "/dbt/compile", Map.of("model", MODEL)).get("compiled_sql").asText();
    out.println("  POST .../ide/dbt/compile -> " + compiled.lines().filter(l -> l.startsWith("select")).findFirst()
        .orElse(compiled.strip()));
    command(ide, Map.of("command", "seed"), timeout);
    command(ide, Map.of("command", "build", "select", "+" + MODEL), timeout);
    JsonNode preview = api.json("POST", ide + "/preview", Map.of("model", MODEL, "limit", 10));
    out.println("  POST .../ide/preview -> columns " + preview.get("columns") + ", rows " + preview.get("rows"));

    api.json("POST", ide + "/git/branches", Map.of("name", BRANCH, "switch", true));
    String sha = api.json("POST", ide + "/git/commit", Map.of("message", "Add " + MODEL)).get("sha").asText();
    api.json("POST", ide + "/git/push", null);
    out.println("  git: committed " + sha.substring(0, 12) + " on " + BRANCH + " and pushed it to the project's remote");

    api.data("POST", sessions + id + "/stop", null);
    awaitState(id, "stopped", timeout);
    out.println("  POST " + sessions + id + "/stop -> stopped (the pod is gone, the workspace stays)");
    // The next request resumes the session; the proxy waits for it to be ready, then answers.
    Instant asked = Instant.now();
    String content = api.json("GET", ide + "/files?path=" + MODEL_PATH, null).get("content").asText();
    out.printf("  GET  .../ide/files?path=%s -> resumed in %.1fs, the model is still there%n", MODEL_PATH,
        Duration.between(asked, Instant.now()).toMillis() / 1000.0);
    return new Outcome(id, compiled, preview, sha, content);
  }

  /** Starts a dbt command and follows its output to the end; throws if it does not succeed. */
  private void command(String ide, Map<String, Object> request, Duration timeout) throws IOException, InterruptedException {
    JsonNode started = api.json("POST", ide + "/dbt/commands", request);
    String id = started.get("id").asText();
    out.println("  POST .../ide/dbt/commands " + ApiClient.JSON.writeValueAsString(request));
    Instant deadline = Instant.now().plus(timeout);
    long since = 0;
    String state = started.get("state").asText();
    String last = null;
    while ("running".equals(state) && Instant.now().isBefore(deadline)) {
      JsonNode page = api.json("GET", ide + "/dbt/commands/" + id + "?since=" + since + "&wait=10", null);
      for (JsonNode line : page.path("lines")) {
        last = line.asText();
      }
      since = page.path("next").asLong(since);
      state = page.get("state").asText();
    }
    out.println("    " + state + (last == null ? "" : ": " + last.strip()));
    if (!"succeeded".equals(state)) {
      throw new IOException("dbt " + request.get("command") + " did not succeed: " + state);
    }
  }

  private void awaitState(long id, String wanted, Duration timeout) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    String state = null;
    while (Instant.now().isBefore(deadline)) {
      JsonNode session = api.data("GET", sessions + id + "/", null);
      state = session.get("state").asText();
      if (wanted.equals(state)) {
        return;
      }
      if ("failed".equals(state)) {
        throw new IOException("session " + id + " failed: " + session.path("state_message").asText());
      }
      Thread.sleep(POLL.toMillis());
    }
    throw new IOException("session " + id + " did not get " + wanted + " within " + timeout + " (it is " + state + ")");
  }
}
