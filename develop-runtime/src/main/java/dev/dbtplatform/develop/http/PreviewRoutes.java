package dev.dbtplatform.develop.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbtplatform.develop.DevelopException;
import dev.dbtplatform.develop.preview.PreviewService;
import io.javalin.config.RoutesConfig;

/** {@code POST /preview}: the rows of a model or of SQL, in the response only. */
final class PreviewRoutes {
  private final PreviewService previews;

  PreviewRoutes(PreviewService previews) {
    this.previews = previews;
  }

  void register(RoutesConfig routes) {
    routes.post("/preview", ctx -> {
      JsonNode body = Json.body(ctx);
      String model = Json.text(body, "model");
      String sql = Json.text(body, "sql");
      Integer limit = Json.integer(body, "limit");
      if ((model == null) == (sql == null)) {
        throw DevelopException.invalid("model_or_sql", "Give either \"model\" (a model's name) or \"sql\" (SQL with Jinja), not both.");
      }
      Json.respond(ctx, 200, model != null ? previews.previewModel(model, limit) : previews.previewSql(sql, limit));
    });
  }
}
