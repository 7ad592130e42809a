package dev.dbtplatform.develop.http;

import dev.dbtplatform.develop.DevelopException;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The develop runtime's HTTP API (Javalin). Every path but {@code GET /health} needs the session's
 * bearer token and a ready workspace. Errors are {@code {"error": {"code", "message"[, "output"]}}}.
 */
public final class HttpApi {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
  /** Room for a 5 MiB file as base64 or as JSON-escaped text. */
  static final long MAX_REQUEST_BYTES = 16L * 1024 * 1024;
  private static final String ANSWERED = "dbtplatform.answered";

  private HttpApi() {}

  public static Javalin start(String host, int port, BearerAuth auth, ApiServices services) {
    Javalin app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.router.ignoreTrailingSlashes = true;
      config.router.treatMultipleSlashesAsSingleSlash = true;
      config.http.maxRequestSize = MAX_REQUEST_BYTES;
      config.http.prefer405over404 = true;
      // Compression would hold back the lines of a streamed command until a buffer fills.
      config.http.compressionStrategy = CompressionStrategy.NONE;
      config.jetty.host = host;
      config.jetty.port = port;

      config.routes.before(ctx -> {
        if (isHealth(ctx)) {
          return;
        }
        auth.check(ctx.header("Authorization"));
        services.workspace().requireReady();
      });

      new HealthRoutes(services.workspace(), services.activity()).register(config.routes);
      new FileRoutes(services.files()).register(config.routes);
      new GitRoutes(services.git()).register(config.routes);
      new DbtRoutes(services.compiler(), services.commands(), services.slot()).register(config.routes);
      new PreviewRoutes(services.previews()).register(config.routes);
      new LineageRoutes(services.lineage()).register(config.routes);

      config.routes.exception(DevelopException.class, (e, ctx) -> {
        if (e.kind() == DevelopException.Kind.UNAUTHORIZED) {
          ctx.header("WWW-Authenticate", "Bearer");
        }
        error(ctx, e.kind().status, e.code(), e.getMessage(), e.output());
      });
      config.routes.exception(HttpResponseException.class, (e, ctx) -> {
        String message = e.getStatus() == 413
            ? "The request body is larger than " + MAX_REQUEST_BYTES / (1024 * 1024) + " MiB."
            : e.getMessage();
        error(ctx, e.getStatus(), e.getStatus() == 413 ? "request_too_large" : "bad_request", message, List.of());
      });
      config.routes.exception(UncheckedIOException.class, (e, ctx) -> {
        LOG.warn("{} {} failed: {}", ctx.method(), ctx.path(), e.getMessage());
        error(ctx, 500, "io_error", "A file operation failed: " + e.getMessage(), List.of());
      });
      config.routes.exception(Exception.class, (e, ctx) -> {
        // The path only: query strings may hold file names, bodies may hold anything.
        LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
        error(ctx, 500, "internal_error", "Something went wrong in the develop runtime; try again, and report it if it persists.", List.of());
      });
      config.routes.error(404, ctx -> {
        if (ctx.attribute(ANSWERED) == null) {
          error(ctx, 404, "not_found", "No endpoint " + ctx.method() + " " + ctx.path() + ".", List.of());
        }
      });
      config.routes.error(405, ctx -> {
        if (ctx.attribute(ANSWERED) == null) {
          error(ctx, 405, "method_not_allowed", "Method " + ctx.method() + " is not allowed on " + ctx.path() + ".", List.of());
        }
      });
    });
    app.start(host, port);
    return app;
  }

  private static boolean isHealth(Context ctx) {
    String path = ctx.path();
    return path.equals("/health") || path.equals("/health/");
  }

  private static void error(Context ctx, int status, String code, String message, List<String> output) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code);
    error.put("message", message);
    if (!output.isEmpty()) {
      error.put("output", output);
    }
    ctx.attribute(ANSWERED, Boolean.TRUE);
    Json.respond(ctx, status, Map.of("error", error));
  }
}
