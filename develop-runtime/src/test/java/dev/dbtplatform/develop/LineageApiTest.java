package dev.dbtplatform.develop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbtplatform.runtime.GitCheckout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lineage from the manifest of a real dbt parse of the sample project (no warehouse needed to parse). */
class LineageApiTest {
  @TempDir
  static Path dir;
  static Session session;
  static Api api;

  @BeforeAll
  static void start() throws Exception {
    session = Session.start(dir.resolve("barbara"), "Barbara", Fixtures.Remote.create(dir.resolve("remote")), null, "dev_barbara");
    api = session.api;
  }

  @AfterAll
  static void stop() {
    if (session != null) {
      session.close();
    }
  }

  @Test
  void theWholeProjectWithoutTestsUnlessAskedFor() {
    Api.Response lineage = api.get("/lineage");
    assertThat(lineage.status()).as("%s", lineage).isEqualTo(200);
    assertThat(lineage.get("focus").isNull()).isTrue();
    assertThat(ids(lineage.get("nodes"))).contains("model.shop.orders", "model.shop.customers", "model.shop.stg_orders",
        "seed.shop.raw_orders", "source.shop.shop.raw_orders").noneMatch(id -> id.startsWith("test."));
    assertThat(edges(lineage.get("edges"))).contains("model.shop.stg_orders->model.shop.orders",
        "model.shop.orders->model.shop.customers", "source.shop.shop.raw_orders->model.shop.stg_orders");
    JsonNode orders = node(lineage.get("nodes"), "model.shop.orders");
    assertThat(orders.path("name").asText()).isEqualTo("orders");
    assertThat(orders.path("resource_type").asText()).isEqualTo("model");
    assertThat(orders.path("path").asText()).isEqualTo("models/marts/orders.sql");
    assertThat(lineage.get("stale").asBoolean()).isFalse();

    Api.Response withTests = api.get("/lineage?tests=true");
    assertThat(ids(withTests.get("nodes"))).anyMatch(id -> id.startsWith("test.shop.unique_stg_orders_order_id"));
  }

  @Test
  void aroundAModelUpToADepth() {
    Api.Response near = api.get("/lineage?model=stg_orders&depth=1");
    assertThat(near.status()).isEqualTo(200);
    assertThat(near.get("focus").asText()).isEqualTo("model.shop.stg_orders");
    assertThat(ids(near.get("nodes"))).containsExactlyInAnyOrder("model.shop.stg_orders", "model.shop.orders",
        "source.shop.shop.raw_orders");

    Api.Response all = api.get("/lineage?model=stg_orders");
    assertThat(ids(all.get("nodes"))).contains("model.shop.customers").doesNotContain("model.shop.stg_payments");

    Api.Response byId = api.get("/lineage?node=model.shop.customers&depth=1");
    assertThat(ids(byId.get("nodes"))).containsExactlyInAnyOrder("model.shop.customers", "model.shop.orders",
        "model.shop.stg_customers");

    assertThat(api.get("/lineage?model=nothing_like_it").status()).isEqualTo(404);
    assertThat(api.get("/lineage?node=model.shop.nothing").status()).isEqualTo(404);
    assertThat(api.get("/lineage?model=orders&depth=-1").status()).isEqualTo(400);
  }

  @Test
  void anEditShowsUpWithoutAnExplicitParse() {
    api.writeFile("models/marts/order_summary.sql", "select count(*) as orders from {{ ref('orders') }}\n");
    try {
      Api.Response lineage = api.get("/lineage?model=orders&depth=1");
      assertThat(ids(lineage.get("nodes"))).contains("model.shop.order_summary");
      assertThat(edges(lineage.get("edges"))).contains("model.shop.orders->model.shop.order_summary");
      assertThat(lineage.get("stale").asBoolean()).isFalse();
    } finally {
      api.delete("/files?path=models/marts/order_summary.sql");
    }
    assertThat(ids(api.get("/lineage").get("nodes"))).doesNotContain("model.shop.order_summary");
  }

  @Test
  void aMissingManifestIsParsedAndABrokenProjectGivesTheLastLineageMarkedStale() throws Exception {
    GitCheckout.deleteRecursively(session.checkout().resolve("target"));
    assertThat(api.get("/lineage").status()).isEqualTo(200);

    api.writeFile("models/staging/broken.yml", "version: 2\nmodels: [this is: not valid\n");
    try {
      Api.Response stale = api.get("/lineage");
      assertThat(stale.status()).isEqualTo(200);
      assertThat(stale.get("stale").asBoolean()).isTrue();
      assertThat(stale.get("stale_reason").asText()).contains("dbt parse failed");
      assertThat(ids(stale.get("nodes"))).contains("model.shop.orders");
    } finally {
      api.delete("/files?path=models/staging/broken.yml");
    }
    assertThat(api.get("/lineage").get("stale").asBoolean()).isFalse();
  }

  private static List<String> ids(JsonNode nodes) {
    List<String> ids = new ArrayList<>();
    nodes.forEach(n -> ids.add(n.path("unique_id").asText()));
    return ids;
  }

  private static List<String> edges(JsonNode edges) {
    List<String> out = new ArrayList<>();
    edges.forEach(e -> out.add(e.path("parent").asText() + "->" + e.path("child").asText()));
    return out;
  }

  private static JsonNode node(JsonNode nodes, String id) {
    for (JsonNode n : nodes) {
      if (n.path("unique_id").asText().equals(id)) {
        return n;
      }
    }
    throw new AssertionError("no node " + id);
  }
}
