package dev.dbtplatform.operator.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/** Serves /metrics (Prometheus text) and /healthz on the operator's metrics port. */
public final class MetricsServer implements AutoCloseable {
  private final HttpServer server;

  public MetricsServer(int port, PrometheusMeterRegistry registry, BooleanSupplier healthy) {
    try {
      server = HttpServer.create(new InetSocketAddress(port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on metrics port " + port, e);
    }
    server.createContext("/metrics", exchange -> respond(exchange, 200, registry.scrape()));
    server.createContext("/healthz", exchange -> {
      boolean ok = healthy.getAsBoolean();
      respond(exchange, ok ? 200 : 503, ok ? "ok\n" : "not ready\n");
    });
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
