package dev.dbtplatform.develop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Previews with dbt show against a real PostgreSQL: row limits, and nothing kept anywhere. */
class PreviewApiTest extends SeededSessionTest {
  @BeforeAll
  static void start() throws Exception {
    startSeeded("Margaret", "dev_margaret");
  }

  @Test
  void aPreviewReturnsAtMost500RowsUnlessToldOtherwise() {
    Api.Response preview = api.post("/preview", Api.json("sql", "select n, 'row ' || n as label from generate_series(1, 2000) as n"));
    assertThat(preview.status()).as("%s", preview).isEqualTo(200);
    assertThat(preview.get("columns")).hasSize(2);
    assertThat(preview.get("columns").get(0).asText()).isEqualTo("n");
    assertThat(preview.get("columns").get(1).asText()).isEqualTo("label");
    assertThat(preview.get("rows")).hasSize(500);
    assertThat(preview.get("row_count").asInt()).isEqualTo(500);
    assertThat(preview.get("limit").asInt()).isEqualTo(500);
    assertThat(preview.get("truncated").asBoolean()).isTrue();
    assertThat(preview.get("rows").get(0).get(0).asInt()).isEqualTo(1);
    assertThat(preview.get("rows").get(0).get(1).asText()).isEqualTo("row 1");

    Api.Response seven = api.post("/preview", Api.json("sql", "select n from generate_series(1, 2000) as n", "limit", 7));
    assertThat(seven.get("rows")).hasSize(7);
    assertThat(seven.get("limit").asInt()).isEqualTo(7);
  }

  @Test
  void theLimitIsAtMost10000() {
    Api.Response most = api.post("/preview", Api.json("sql", "select n from generate_series(1, 20000) as n", "limit", 10_000));
    assertThat(most.status()).isEqualTo(200);
    assertThat(most.get("rows")).hasSize(10_000);
    assertThat(most.get("rows").get(9_999).get(0).asInt()).isEqualTo(10_000);

    for (int limit : new int[] {10_001, 1_000_000, 0, -5}) {
      Api.Response refused = api.post("/preview", Api.json("sql", "select 1 as one", "limit", limit));
      assertThat(refused.status()).as("limit %s", limit).isEqualTo(400);
      assertThat(refused.errorCode()).isEqualTo("invalid_limit");
    }
    assertThat(api.post("/preview", Api.json("sql", "select 1 as one", "limit", "ten")).status()).isEqualTo(400);
  }

  @Test
  void aModelIsPreviewedWithItsSqlAndFewerRowsAreNotTruncated() {
    Api.Response customers = api.post("/preview", Api.json("model", "stg_customers"));
    assertThat(customers.status()).as("%s", customers).isEqualTo(200);
    assertThat(customers.get("node").asText()).isEqualTo("stg_customers");
    List<String> columns = new ArrayList<>();
    customers.get("columns").forEach(c -> columns.add(c.asText()));
    assertThat(columns).contains("customer_id");
    assertThat(customers.get("rows")).hasSize(20);
    assertThat(customers.get("truncated").asBoolean()).isFalse();

    Api.Response unknown = api.post("/preview", Api.json("model", "no_such_model"));
    assertThat(unknown.status()).isEqualTo(404);
    Api.Response broken = api.post("/preview", Api.json("sql", "select no_such_column from {{ ref('stg_orders') }}"));
    assertThat(broken.status()).isEqualTo(400);
    assertThat(broken.errorCode()).isEqualTo("dbt_failed");
    assertThat(broken.get("error").path("message").asText()).contains("no_such_column");
    assertThat(api.post("/preview", Api.json("sql", "select 1", "model", "orders")).errorCode()).isEqualTo("model_or_sql");
  }

  @Test
  void previewResultsAreNeverWrittenToDisk() throws Exception {
    Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String marker = "preview-marker-" + UUID.randomUUID();
    // The query computes the marker, so only a result holding it could put it in a file.
    String reversed = new StringBuilder(marker).reverse().toString();
    Api.Response inline = api.post("/preview", Api.json("sql", "select reverse('" + reversed + "') as value"));
    assertThat(inline.status()).as("%s", inline).isEqualTo(200);
    assertThat(inline.get("rows").get(0).get(0).asText()).isEqualTo(marker);

    String modelMarker = marker + "-model";
    api.writeFile("models/marker_model.sql", "select reverse('" + new StringBuilder(modelMarker).reverse() + "') as value\n");
    Api.Response model = api.post("/preview", Api.json("model", "marker_model"));
    assertThat(model.status()).as("%s", model).isEqualTo(200);
    assertThat(model.get("rows").get(0).get(0).asText()).isEqualTo(modelMarker);

    // Not in the workspace (checkout, target/, logs/dbt.log), the session's folders, nor any
    // file written meanwhile in the temporary folder.
    assertThat(Fixtures.filesContaining(session.dir, marker)).isEmpty();
    assertThat(Fixtures.filesContaining(Path.of(System.getProperty("java.io.tmpdir")), marker, started)).isEmpty();
    assertThat(session.checkout().resolve("target/run_results.json")).satisfiesAnyOf(
        p -> assertThat(p).doesNotExist(), p -> assertThat(Files.readString(p)).doesNotContain(marker));
    try (var scratch = Files.list(session.server.privateDir())) {
      assertThat(scratch.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith("preview-"));
    }
    api.delete("/files?path=models/marker_model.sql");
  }

  @Test
  void previewRowsKeepTheirTypes() {
    JsonNode row = api.post("/preview", Api.json("sql",
        "select 1 as i, 2.5::numeric as d, true as b, null as z, 'text' as t, date '2024-02-29' as day")).get("rows").get(0);
    assertThat(row.get(0).isIntegralNumber()).isTrue();
    assertThat(row.get(1).asDouble()).isEqualTo(2.5);
    assertThat(row.get(2).asBoolean()).isTrue();
    assertThat(row.get(3).isNull()).isTrue();
    assertThat(row.get(4).asText()).isEqualTo("text");
    assertThat(row.get(5).asText()).isEqualTo("2024-02-29");
  }
}
