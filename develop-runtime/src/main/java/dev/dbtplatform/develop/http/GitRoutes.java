package dev.dbtplatform.develop.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbtplatform.develop.git.GitService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;

/** Git on the checkout. Git's own refusals (conflicts, rejected pushes) are 409 with git's message. */
final class GitRoutes {
  private final GitService git;

  GitRoutes(GitService git) {
    this.git = git;
  }

  void register(RoutesConfig routes) {
    routes.get("/git/status", ctx -> Json.respond(ctx, 200, git.status()));
    routes.get("/git/diff", ctx -> Json.respond(ctx, 200, git.diff(ctx.queryParam("path"))));
    routes.get("/git/branches", ctx -> Json.respond(ctx, 200, git.branches(Query.flag(ctx, "fetch"))));
    routes.post("/git/branches", this::createBranch);
    routes.post("/git/switch", ctx -> {
      JsonNode body = Json.body(ctx);
      Json.respond(ctx, 200, git.switchBranch(Json.requiredText(body, "branch", "\"feature/new-model\"")));
    });
    routes.post("/git/commit", ctx -> {
      JsonNode body = Json.body(ctx);
      Json.respond(ctx, 201, git.commit(Json.requiredText(body, "message", "\"Add the orders model\""),
          Json.texts(body, "paths")));
    });
    routes.post("/git/pull", ctx -> Json.respond(ctx, 200, git.pull()));
    routes.post("/git/push", ctx -> Json.respond(ctx, 200, git.push()));
    routes.post("/git/discard", ctx -> {
      JsonNode body = Json.body(ctx);
      Json.respond(ctx, 200, Map.of("discarded", git.discard(Json.texts(body, "paths"), Json.bool(body, "all", false))));
    });
  }

  private void createBranch(Context ctx) {
    JsonNode body = Json.body(ctx);
    Json.respond(ctx, 201, git.createBranch(Json.requiredText(body, "name", "\"feature/new-model\""),
        Json.text(body, "from"), Json.bool(body, "switch", true)));
  }
}
