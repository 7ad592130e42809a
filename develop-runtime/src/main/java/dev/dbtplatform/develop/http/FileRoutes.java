package dev.dbtplatform.develop.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbtplatform.develop.DevelopException;
import dev.dbtplatform.develop.files.FileService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** Files of the checkout; every path is a {@code path} query parameter or body field, relative to the checkout. */
final class FileRoutes {
  private final FileService files;

  FileRoutes(FileService files) {
    this.files = files;
  }

  void register(RoutesConfig routes) {
    routes.get("/files/tree", ctx -> Json.respond(ctx, 200, files.tree(ctx.queryParam("path"))));
    routes.get("/files", ctx -> Json.respond(ctx, 200, files.read(path(ctx))));
    routes.put("/files", this::write);
    routes.post("/files", this::create);
    routes.post("/files/move", this::move);
    routes.delete("/files", ctx -> Json.respond(ctx, 200, Map.of("deleted", files.delete(path(ctx)))));
  }

  private void write(Context ctx) {
    String path = path(ctx);
    JsonNode body = Json.body(ctx);
    if (!body.has("content")) {
      throw DevelopException.invalid("missing_field", "The body needs \"content\": the file's new text.");
    }
    Json.respond(ctx, 200, files.write(path, content(body)));
  }

  private void create(Context ctx) {
    JsonNode body = Json.body(ctx);
    String path = Json.requiredText(body, "path", "\"models/new_model.sql\"");
    String type = Json.text(body, "type");
    if (type == null || type.equals("file")) {
      byte[] content = body.has("content") ? content(body) : new byte[0];
      Json.respond(ctx, 201, files.create(path, content));
    } else if (type.equals("dir")) {
      Json.respond(ctx, 201, files.createFolder(path));
    } else {
      throw DevelopException.invalid("invalid_field", "\"type\" must be \"file\" or \"dir\".");
    }
  }

  private void move(Context ctx) {
    JsonNode body = Json.body(ctx);
    Json.respond(ctx, 200, files.move(Json.requiredText(body, "from", "\"models/old.sql\""),
        Json.requiredText(body, "to", "\"models/new.sql\"")));
  }

  private static String path(Context ctx) {
    String path = ctx.queryParam("path");
    if (path == null) {
      throw DevelopException.invalid("path_required", "Give the file as ?path=, relative to the repository, such as ?path=models/orders.sql.");
    }
    return path;
  }

  /** The body's content: text as it is (encoding utf-8, the default), or other bytes as base64. */
  private static byte[] content(JsonNode body) {
    String content = Json.text(body, "content");
    if (content == null) {
      throw DevelopException.invalid("invalid_field", "\"content\" must be a string.");
    }
    String encoding = Json.text(body, "encoding");
    if (encoding == null || encoding.equalsIgnoreCase("utf-8")) {
      return content.getBytes(StandardCharsets.UTF_8);
    }
    if (encoding.equalsIgnoreCase("base64")) {
      try {
        return Base64.getDecoder().decode(content);
      } catch (IllegalArgumentException e) {
        throw DevelopException.invalid("invalid_base64", "\"content\" is not valid base64: " + e.getMessage());
      }
    }
    throw DevelopException.invalid("invalid_field", "\"encoding\" must be \"utf-8\" or \"base64\".");
  }
}
