package dev.dbtplatform.develop.http;

import dev.dbtplatform.develop.Activity;
import dev.dbtplatform.develop.workspace.Workspace;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;

/**
 * {@code GET /health}, the one path open without the token: the kubelet's readiness probe and the
 * operator's idle check read it. 200 once the workspace is ready, 503 before. The last activity
 * is in both, so the operator can stop a session idle for too long.
 */
final class HealthRoutes {
  /**
   * @param status ok, preparing or failed
   * @param message why it is not ready, null when it is
   * @param lastActivity the last dbt command or preview (now while one runs), or the session's start
   * @param commandRunning whether a dbt command runs now
   */
  record Health(String status, String message, Instant lastActivity, boolean commandRunning) {}

  private final Workspace workspace;
  private final Activity activity;

  HealthRoutes(Workspace workspace, Activity activity) {
    this.workspace = workspace;
    this.activity = activity;
  }

  void register(RoutesConfig routes) {
    routes.get("/health", this::health);
  }

  private void health(Context ctx) {
    Workspace.State state = workspace.state();
    String status = switch (state) {
      case READY -> "ok";
      case PREPARING -> "preparing";
      case FAILED -> "failed";
    };
    Json.respond(ctx, state == Workspace.State.READY ? 200 : 503,
        new Health(status, workspace.problem(), activity.lastActivity(), activity.commandRunning()));
  }
}
