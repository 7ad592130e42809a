package dev.dbtplatform.develop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbtplatform.develop.dbt.DbtLauncher;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** dbt through the API: real dbt, the sample project, a real PostgreSQL. */
class DbtApiTest extends SeededSessionTest {
  static final String SCHEMA = "dev_linus";

  @BeforeAll
  static void start() throws Exception {
    startSeeded("Linus", SCHEMA);
  }

  @Test
  void parseSucceedsAndAProjectThatDoesNotParseIs400WithDbtsMessage() {
    Api.Response parsed = api.post("/dbt/parse");
    assertThat(parsed.status()).as("%s", parsed).isEqualTo(200);
    assertThat(parsed.get("output").toString()).contains("Running with dbt");

    api.writeFile("models/staging/broken.yml", "version: 2\nmodels: [this is: not valid\n");
    try {
      Api.Response broken = api.post("/dbt/parse");
      assertThat(broken.status()).isEqualTo(400);
      assertThat(broken.errorCode()).isEqualTo("dbt_failed");
      assertThat(broken.get("error").path("message").asText()).contains("The project does not parse");
      assertThat(broken.get("error").path("output")).isNotEmpty();
    } finally {
      api.delete("/files?path=models/staging/broken.yml");
    }
  }

  @Test
  void compileReturnsTheSqlOfAModelOrOfInlineSql() {
    Api.Response model = api.post("/dbt/compile", Api.json("model", "orders"));
    assertThat(model.status()).as("%s", model).isEqualTo(200);
    assertThat(model.get("unique_id").asText()).isEqualTo("model.shop.orders");
    assertThat(model.get("compiled_sql").asText())
        .contains("\"warehouse\".\"" + SCHEMA + "\".\"stg_orders\"").contains("credit_card_amount").doesNotContain("{{");

    Api.Response inline = api.post("/dbt/compile", Api.json("sql", "select count(*) from {{ ref('stg_customers') }} -- {{ target.name }}"));
    assertThat(inline.status()).as("%s", inline).isEqualTo(200);
    assertThat(inline.get("compiled_sql").asText())
        .isEqualTo("select count(*) from \"warehouse\".\"" + SCHEMA + "\".\"stg_customers\" -- dev");
  }

  @Test
  void compileErrorsSayWhatIsWrong() {
    Api.Response unknown = api.post("/dbt/compile", Api.json("model", "no_such_model"));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.errorCode()).isEqualTo("model_not_found");

    Api.Response badRef = api.post("/dbt/compile", Api.json("sql", "select * from {{ ref('nowhere') }}"));
    assertThat(badRef.status()).isEqualTo(400);
    assertThat(badRef.errorCode()).isEqualTo("dbt_failed");
    assertThat(badRef.get("error").path("message").asText()).contains("nowhere");

    assertThat(api.post("/dbt/compile", Api.json("model", "--select")).errorCode()).isEqualTo("invalid_model");
    assertThat(api.post("/dbt/compile", Api.json("model", "orders+")).errorCode()).isEqualTo("invalid_model");
    assertThat(api.post("/dbt/compile", "{}").errorCode()).isEqualTo("model_or_sql");
    assertThat(api.post("/dbt/compile", Api.json("sql", "x".repeat(200_000))).status()).isEqualTo(413);
  }

  @Test
  void buildWithASelectorAndFullRefreshRunsOnlyTheSelectedNodes() throws Exception {
    JsonNode build = Commands.run(api, Api.json("command", "build", "select", List.of("+orders"), "exclude", "customers",
        "full_refresh", true));
    assertThat(build.path("state").asText()).as("%s", build).isEqualTo("succeeded");
    assertThat(build.path("exit_code").asInt()).isZero();
    assertThat(build.path("args").toString()).contains("--full-refresh", "+orders", "--exclude");
    String output = String.join("\n", Commands.lines(build));
    assertThat(output).contains("stg_orders", "orders").doesNotContain("model " + SCHEMA + ".customers");
    assertThat(output).doesNotContain(Fixtures.WAREHOUSE_PASSWORD);
    // profiles.yml is in a private folder, and dbt's logs and artifacts on the volume hold no password.
    assertThat(Fixtures.filesContaining(session.workspace, Fixtures.WAREHOUSE_PASSWORD)).isEmpty();

    JsonNode failing = Commands.run(api, Api.json("command", "run", "select", "broken_orders",
        "vars", Map.of("include_broken", true)));
    assertThat(failing.path("state").asText()).isEqualTo("failed");
    assertThat(String.join("\n", Commands.lines(failing))).contains("no_such_column");

    List<String> listed = new ArrayList<>();
    api.get("/dbt/commands").get("commands").forEach(c -> listed.add(c.path("id").asText()));
    assertThat(listed).startsWith(failing.path("id").asText(), build.path("id").asText());
  }

  @Test
  void outputIsStreamedWhileTheCommandRuns() throws Exception {
    String id = Commands.start(api, Api.json("command", "run-operation", "macro", "sleep", "args", Map.of("seconds", 8)));
    HttpResponse<InputStream> stream = api.stream("/dbt/commands/" + id + "/stream");
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("application/x-ndjson");
    List<JsonNode> events = new ArrayList<>();
    boolean sawSleepingWhileRunning = false;
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        JsonNode event = Api.JSON.readTree(line);
        events.add(event);
        if (event.path("text").asText().contains("Sleeping 8 seconds")) {
          // This line arrived while dbt still sleeps in the warehouse.
          sawSleepingWhileRunning = api.get("/dbt/commands/" + id).get("state").asText().equals("running");
        }
      }
    }
    assertThat(sawSleepingWhileRunning).isTrue();
    JsonNode last = events.get(events.size() - 1);
    assertThat(last.path("type").asText()).isEqualTo("end");
    assertThat(last.path("state").asText()).isEqualTo("succeeded");
    List<Long> numbers = events.stream().filter(e -> e.path("type").asText().equals("line")).map(e -> e.path("n").asLong()).toList();
    assertThat(numbers).startsWith(0L, 1L, 2L).isSorted();

    // Reading again from a line number gives the rest, as a reconnecting client needs.
    HttpResponse<InputStream> again = api.stream("/dbt/commands/" + id + "/stream?since=3");
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(again.body(), StandardCharsets.UTF_8))) {
      JsonNode first = Api.JSON.readTree(reader.readLine());
      assertThat(first.path("n").asLong()).isEqualTo(3);
    }
  }

  @Test
  void aLongPollWaitsForTheNextLines() {
    String id = Commands.start(api, Api.json("command", "run-operation", "macro", "sleep", "args", Map.of("seconds", 4)));
    Commands.awaitLine(api, id, "Sleeping 4 seconds", Duration.ofMinutes(1));
    JsonNode now = api.get("/dbt/commands/" + id).json();
    long next = now.path("next").asLong();
    assertThat(now.path("state").asText()).isEqualTo("running");

    // Nothing is written while the warehouse sleeps: the poll waits for the line after it.
    JsonNode later = api.get("/dbt/commands/" + id + "?since=" + next + "&wait=20").json();
    assertThat(later.path("from").asLong()).isEqualTo(next);
    assertThat(Commands.lines(later)).isNotEmpty();
    assertThat(Commands.awaitEnd(api, id, Duration.ofMinutes(1)).path("state").asText()).isEqualTo("succeeded");
    assertThat(api.get("/dbt/commands/" + id + "?wait=99").status()).isEqualTo(400);
  }

  @Test
  void aCancelledMacroEndsQuicklyAndTheNextCommandRuns() {
    String id = Commands.start(api, Api.json("command", "run-operation", "macro", "sleep", "args", Map.of("seconds", 60)));
    Commands.awaitLine(api, id, "Sleeping 60 seconds", Duration.ofMinutes(1));

    Api.Response busy = api.post("/dbt/commands", Api.json("command", "seed"));
    assertThat(busy.status()).isEqualTo(409);
    assertThat(busy.errorCode()).isEqualTo("dbt_busy");
    assertThat(busy.get("error").path("message").asText()).contains(id);
    assertThat(api.post("/dbt/compile", Api.json("model", "orders")).status()).isEqualTo(409);
    assertThat(api.post("/preview", Api.json("sql", "select 1")).status()).isEqualTo(409);
    assertThat(api.get("/dbt/commands/" + id).status()).isEqualTo(200);

    Instant cancelled = Instant.now();
    Api.Response cancel = api.post("/dbt/commands/" + id + "/cancel");
    assertThat(cancel.status()).isEqualTo(202);
    assertThat(cancel.get("cancel_requested").asBoolean()).isTrue();
    JsonNode ended = Commands.awaitEnd(api, id, Duration.ofSeconds(50));
    assertThat(ended.path("state").asText()).isEqualTo("cancelled");
    // Generous: SIGINT, 5 s for dbt, SIGTERM to the tree, up to 10 s more, SIGKILL.
    assertThat(Duration.between(cancelled, Instant.now())).isLessThan(Duration.ofSeconds(45));
    assertThat(Fixtures.processesWithEnv(DbtLauncher.INVOCATION_VAR, id)).isEmpty();

    JsonNode next = Commands.run(api, Api.json("command", "seed", "select", "raw_customers"));
    assertThat(next.path("state").asText()).isEqualTo("succeeded");
    assertThat(api.post("/dbt/commands/" + id + "/cancel").get("state").asText()).isEqualTo("cancelled");
    assertThat(api.post("/dbt/cancel").status()).isEqualTo(409);
  }

  @Test
  void aCancelledModelRunStopsItsQueryInTheWarehouse() throws Exception {
    String id = Commands.start(api, Api.json("command", "run", "select", "wait_a_while",
        "vars", Map.of("include_slow", true, "sleep_seconds", 60)));
    await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() -> sleepingQueries() > 0);

    Instant cancelled = Instant.now();
    Api.Response cancel = api.post("/dbt/cancel");
    assertThat(cancel.status()).isEqualTo(202);
    assertThat(cancel.get("cancelled").asText()).isEqualTo(id);
    assertThat(Commands.awaitEnd(api, id, Duration.ofSeconds(50)).path("state").asText()).isEqualTo("cancelled");
    assertThat(Duration.between(cancelled, Instant.now())).isLessThan(Duration.ofSeconds(45));
    // dbt cancelled the query on SIGINT; it does not go on sleeping in the warehouse.
    await().atMost(Duration.ofSeconds(20)).until(() -> sleepingQueries() == 0);
  }

  @Test
  void badCommandRequestsAre400() {
    assertThat(api.post("/dbt/commands", Api.json("command", "rm -rf")).errorCode()).isEqualTo("invalid_command");
    assertThat(api.post("/dbt/commands", Api.json("command", "build", "select", "orders --profiles-dir /tmp")).errorCode())
        .isEqualTo("invalid_option");
    assertThat(api.post("/dbt/commands", Api.json("command", "test", "full_refresh", true)).errorCode()).isEqualTo("invalid_option");
    assertThat(api.post("/dbt/commands", Api.json("command", "build", "target_path", "/tmp")).errorCode()).isEqualTo("invalid_option");
    assertThat(api.post("/dbt/commands", Api.json("command", "run-operation", "macro", "x; rm")).errorCode()).isEqualTo("invalid_macro");
    assertThat(api.post("/dbt/commands", Api.json("command", "build", "vars", "not an object")).status()).isEqualTo(400);
    assertThat(api.get("/dbt/commands/cmd-unknown").status()).isEqualTo(404);
    assertThat(api.post("/dbt/commands/cmd-unknown/cancel").status()).isEqualTo(404);
  }

  @Test
  void dbtCommandsCountAsActivityAndFileSavesDoNot() throws Exception {
    Instant before = Instant.parse(api.get("/health").get("last_activity").asText());
    Thread.sleep(20);
    api.writeFile("models/activity_probe.sql", "select 1 as probe\n");
    assertThat(Instant.parse(api.get("/health").get("last_activity").asText())).isEqualTo(before);

    String id = Commands.start(api, Api.json("command", "run-operation", "macro", "sleep", "args", Map.of("seconds", 3)));
    assertThat(api.get("/health").get("command_running").asBoolean()).isTrue();
    Commands.awaitEnd(api, id, Duration.ofMinutes(1));
    Instant afterCommand = Instant.parse(api.get("/health").get("last_activity").asText());
    assertThat(afterCommand).isAfter(before);
    assertThat(api.get("/health").get("command_running").asBoolean()).isFalse();

    api.post("/preview", Api.json("sql", "select 1 as x", "limit", 1));
    assertThat(Instant.parse(api.get("/health").get("last_activity").asText())).isAfter(afterCommand);
    api.delete("/files?path=models/activity_probe.sql");
  }

  /** Queries of the wait_a_while model still running in the warehouse. */
  private static int sleepingQueries() throws Exception {
    try (Connection c = DriverManager.getConnection(warehouse.jdbcUrl(Fixtures.WAREHOUSE_DB), "postgres", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from pg_stat_activity where state = 'active'"
            + " and query like '%pg_sleep(60)%' and pid <> pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
