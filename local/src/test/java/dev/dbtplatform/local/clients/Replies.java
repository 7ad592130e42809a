package dev.dbtplatform.local.clients;

import static dev.dbtplatform.local.clients.ReadFields.array;
import static dev.dbtplatform.local.clients.ReadFields.bool;
import static dev.dbtplatform.local.clients.ReadFields.integer;
import static dev.dbtplatform.local.clients.ReadFields.object;
import static dev.dbtplatform.local.clients.ReadFields.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** What the clients rely on in the API's answers, beyond single fields. */
public final class Replies {
  /** Run status codes the clients know; any other raises in their status enums. */
  private static final List<Long> STATUSES = List.of(1L, 2L, 3L, 10L, 20L, 30L);
  private static final Duration POLL = Duration.ofSeconds(1);

  private Replies() {}

  /** raise_for_status passes; the body is JSON, and an envelope says it succeeded. */
  public static Reply ok(Reply reply) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.contentType()).as(reply.toString()).startsWith("application/json");
    JsonNode status = reply.json().path("status");
    if (status.has("is_success")) {
      assertThat(status.path("is_success").asBoolean()).as(reply.toString()).isTrue();
    }
    return reply;
  }

  /**
   * A list answer as the Airflow hook's _paginate reads it: the page size among the filters, the
   * page's count and the total; it asks for more pages until the counts add up.
   */
  public static JsonNode paginated(Reply reply) {
    JsonNode body = ok(reply).json();
    integer(object(object(body, "extra"), "filters"), "limit");
    JsonNode pagination = object(object(body, "extra"), "pagination");
    assertThat(integer(pagination, "count")).isEqualTo(array(body, "data").size());
    assertThat(integer(pagination, "total_count")).isGreaterThanOrEqualTo(integer(pagination, "count"));
    return body;
  }

  /** The ids of a list answer's objects, in its order. */
  public static List<Long> idsOf(JsonNode envelope) {
    List<Long> ids = new ArrayList<>();
    array(envelope, "data").forEach(item -> ids.add(integer(item, "id")));
    return ids;
  }

  /** The one object of a list answer with exactly this name, as lookups by name keep it. */
  public static JsonNode exactlyNamed(JsonNode envelope, String name) {
    List<JsonNode> named = new ArrayList<>();
    array(envelope, "data").forEach(item -> {
      if (name.equals(text(item, "name"))) {
        named.add(item);
      }
    });
    assertThat(named).as("objects named " + name + " in " + envelope).hasSize(1);
    return named.get(0);
  }

  public static boolean isTerminal(JsonNode run) {
    long status = integer(run, "status");
    assertThat(STATUSES).as("a run status the clients know").contains(status);
    return status >= 10;
  }

  /**
   * Complete as the clients test it (status 10, 20 or 30), which must mean that the artifacts are
   * saved: the clients fetch them the moment they see it (Airflow's lineage, dagster-dbt,
   * prefect-dbt), so the API shows a run as Running until its log flush is done.
   */
  public static boolean isCompleteWithArtifacts(JsonNode run) {
    if (!isTerminal(run)) {
      return false;
    }
    assertThat(bool(run, "artifacts_saved")).as("artifacts saved when the run is complete: " + run).isTrue();
    return true;
  }

  /** Polls a run with one client's call until {@code done}; every answer on the way must be a good one. */
  public static JsonNode awaitRun(Supplier<Reply> poll, Predicate<JsonNode> done, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      JsonNode run = ok(poll.get()).data();
      if (done.test(run)) {
        return run;
      }
      assertThat(Instant.now()).as("the run did not get there in " + timeout + ": " + run).isBefore(deadline);
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while polling a run", e);
      }
    }
  }

  /** A dbt run_results.json of this run: dbt's schema, successful results, the run id dbt Cloud sets. */
  public static void assertRunResultsOf(JsonNode runResults, long runId) {
    JsonNode metadata = object(runResults, "metadata");
    assertThat(text(metadata, "dbt_schema_version")).contains("run-results");
    text(metadata, "dbt_version");
    // dagster-dbt's DbtCloudJobRunResults takes the run id from here, as an int
    assertThat(text(object(metadata, "env"), "DBT_CLOUD_RUN_ID")).isEqualTo(Long.toString(runId));
    JsonNode results = array(runResults, "results");
    assertThat(results).isNotEmpty();
    for (JsonNode result : results) {
      assertThat(text(result, "status")).as(result.toString()).isIn("success", "pass");
      text(result, "unique_id");
    }
  }
}
