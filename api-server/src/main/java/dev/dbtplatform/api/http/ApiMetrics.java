package dev.dbtplatform.api.http;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Request latency by route and status, in Prometheus format at {@code GET /metrics}. The route is
 * the matched path template ({@code /api/v2/accounts/{account_id}/runs/{run_id}}), never the
 * concrete path, so the number of series stays bounded whatever ids clients send. The registry is
 * the server's (see {@link ApiServices#registry()}): what else records there, such as webhook
 * deliveries, is in the same scrape.
 */
final class ApiMetrics {
  static final String REQUESTS = "dbt_platform_api_requests";
  static final String RATE_LIMITED = "dbt_platform_api_rate_limited";
  /** Requests that matched no endpoint: refused before routing (401, 404, 413). */
  static final String NO_ROUTE = "none";

  private final PrometheusMeterRegistry registry;
  private final Counter rateLimited;
  /** The timer of each method, status and route seen: as bounded as the routes. */
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  ApiMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    this.rateLimited = Counter.builder(RATE_LIMITED)
        .description("Requests refused with 429 because their token went over its rate")
        .register(registry);
  }

  void record(Context ctx, float millis) {
    Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
    String route = endpoint == null ? NO_ROUTE : endpoint.path;
    String method = ctx.method().name();
    int status = ctx.statusCode();
    // Found again by a plain key: building the tags and asking the registry cost more per request.
    timers.computeIfAbsent(method + ' ' + status + ' ' + route, key -> Timer.builder(REQUESTS)
            .description("API requests by method, route and status")
            .tag("method", method)
            .tag("route", route)
            .tag("status", Integer.toString(status))
            .publishPercentileHistogram()
            .register(registry))
        .record((long) (millis * 1000), TimeUnit.MICROSECONDS);
  }

  void rateLimited() {
    rateLimited.increment();
  }

  String scrape() {
    return registry.scrape();
  }

  PrometheusMeterRegistry registry() {
    return registry;
  }
}
