package dev.dbtplatform.develop.http;

import dev.dbtplatform.develop.lineage.LineageService;
import io.javalin.config.RoutesConfig;

/** {@code GET /lineage}: the whole project, or around {@code model} (a name) or {@code node} (a unique_id). */
final class LineageRoutes {
  private final LineageService lineage;

  LineageRoutes(LineageService lineage) {
    this.lineage = lineage;
  }

  void register(RoutesConfig routes) {
    routes.get("/lineage", ctx -> {
      Long depth = Query.number(ctx, "depth", 0, 1000);
      Json.respond(ctx, 200, lineage.lineage(ctx.queryParam("model"), ctx.queryParam("node"),
          depth == null ? null : depth.intValue(), Query.flag(ctx, "tests")));
    });
  }
}
