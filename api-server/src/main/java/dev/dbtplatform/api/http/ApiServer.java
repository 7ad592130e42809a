package dev.dbtplatform.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbtplatform.api.auth.Authenticator;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dbt Cloud-compatible HTTP API. Every response, errors included, is in dbt Cloud's
 * envelope; a trailing slash is optional on every path; {@code GET /} answers 200 because
 * clients probe it.
 */
public final class ApiServer implements AutoCloseable {
  public static final String DEFAULT_HOST = "127.0.0.1";

  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ENVELOPED = "dbtplatform.enveloped";
  /** The largest request body: job and trigger bodies are a few KiB at most. */
  static final long MAX_REQUEST_BYTES = 1024 * 1024;

  private final Javalin app;

  private ApiServer(Javalin app) {
    this.app = app;
  }

  /** Plain HTTP on the loopback interface; port 0 picks a free port (see {@link #port()}). */
  public static ApiServer start(int port, ApiServices services) {
    return start(ApiServerSettings.plain(DEFAULT_HOST, port), services);
  }

  public static ApiServer start(ApiServerSettings settings, ApiServices services) {
    String host = settings.host();
    int port = settings.port();
    Authenticator auth = new Authenticator(services.tokens(), services.users());
    RateLimiter limiter = new RateLimiter(settings.requestsPerSecond(), settings.burst(), System::nanoTime);
    ApiMetrics metrics = new ApiMetrics(services.registry());
    RunsApi runs = new RunsApi(services);
    DevelopSessions developSessions = new DevelopSessions(services);
    List<ApiRoutes> apis = List.of(
        new AccountsApi(services),
        runs,
        new TriggerApi(services, runs),
        new ArtifactsApi(services, runs),
        new ProjectsApi(services),
        new EnvironmentsApi(services),
        new JobsApi(services),
        new WebhooksApi(services),
        new DevelopSessionsApi(developSessions),
        new DevelopProxy(developSessions));

    Javalin app = Javalin.create(config -> {
      config.router.ignoreTrailingSlashes = true;
      config.router.treatMultipleSlashesAsSingleSlash = true;
      config.http.maxRequestSize = MAX_REQUEST_BYTES;
      config.http.prefer405over404 = true;
      config.jetty.host = host;
      config.jetty.port = port;
      if (settings.tls() != null) {
        config.jetty.addConnector((server, http) -> TlsConnector.create(server, http, host, port, settings.tls()));
      }
      config.requestLogger.http(metrics::record);

      // after routing, so that metrics name the route and a wrong path is a 404 even without a token
      config.routes.beforeMatched("/api/*", ctx -> {
        var caller = auth.authenticate(ctx.header("Authorization"));
        ctx.attribute(RequestAuth.ATTRIBUTE, caller);
        long wait = limiter.acquire(caller.tokenId());
        if (wait > 0) {
          metrics.rateLimited();
          ctx.header("Retry-After", Long.toString(wait));
          throw new ApiException(429, "Too many requests with this token: at most "
              + (long) settings.requestsPerSecond() + " per second (bursts of " + settings.burst() + "); retry in "
              + wait + " s.");
        }
      });
      config.routes.after("/api/*", ctx -> Audit.record(ctx, services));

      config.routes.get("/", ctx -> json(ctx, 200, Envelope.success(Map.of("name", "dbt-platform"))));
      config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
      for (ApiRoutes api : apis) {
        api.routes(config.routes);
      }

      config.routes.exception(ApiException.class, (e, ctx) -> json(ctx, e.status(), Envelope.error(e.status(), e.getMessage())));
      config.routes.exception(HttpResponseException.class, (e, ctx) ->
          json(ctx, e.getStatus(), Envelope.error(e.getStatus(), describe(e))));
      config.routes.exception(Exception.class, (e, ctx) -> {
        // The path only: query strings and headers may hold secrets.
        LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
        json(ctx, 500, Envelope.error(500, "Something went wrong on the server; try again, and report it if it persists."));
      });
      config.routes.error(404, ctx -> {
        if (ctx.attribute(ENVELOPED) == null) {
          json(ctx, 404, Envelope.error(404, "Not found: no API endpoint " + ctx.method() + " " + ctx.path()
              + ". Check the path and the method."));
        }
      });
      config.routes.error(405, ctx -> {
        if (ctx.attribute(ENVELOPED) == null) {
          json(ctx, 405, Envelope.error(405, "Method " + ctx.method() + " is not allowed on " + ctx.path() + "."));
        }
      });
    });
    app.start(host, port);
    LOG.info("API server listening on {}://{}:{}", settings.scheme(), host, app.port());
    return new ApiServer(app);
  }

  private static String describe(HttpResponseException e) {
    if (e.getStatus() == 413) {
      return "The request body is larger than " + MAX_REQUEST_BYTES / 1024 + " KiB.";
    }
    return e.getMessage();
  }

  public int port() {
    return app.port();
  }

  public void stop() {
    app.stop();
  }

  @Override
  public void close() {
    stop();
  }

  /**
   * Marks a response as answered by its handler (the develop proxy passing on the runtime's own
   * answer), so that the 404 and 405 handlers leave a 404 or 405 it passed on as it is.
   */
  static void answeredAsIs(Context ctx) {
    ctx.attribute(ENVELOPED, Boolean.TRUE);
  }

  static void json(Context ctx, int status, Object body) {
    String text;
    try {
      text = JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a response", e);
    }
    ctx.attribute(ENVELOPED, Boolean.TRUE);
    ctx.status(status).contentType("application/json").result(text);
  }
}
