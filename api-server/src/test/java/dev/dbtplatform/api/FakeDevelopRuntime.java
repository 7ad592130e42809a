package dev.dbtplatform.api;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A stand-in for the develop runtime in a session's pod: it answers only requests with its
 * Bearer token (except {@code GET /health}), records what it received, and
 * <ul>
 *   <li>{@code /dbt/stream}: answers chunked, "line 1", then waits for {@link #release()} before
 *       "line 2", so a test can see the first line arrive while the "command" still runs;</li>
 *   <li>any other path: echoes what it got as text, with the status asked for in {@code ?status=}.</li>
 * </ul>
 */
final class FakeDevelopRuntime implements AutoCloseable {
  /** One request as the runtime saw it. */
  record Received(String method, String path, String query, String body, Headers headers) {
    String header(String name) {
      return headers.getFirst(name);
    }
  }

  private final HttpServer server;
  private final AtomicReference<String> token = new AtomicReference<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile CountDownLatch streamGate = new CountDownLatch(1);

  FakeDevelopRuntime(String token) {
    this.token.set(token);
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** The token it requires from now on (the operator made the session again, say). */
  void requireToken(String value) {
    token.set(value);
  }

  List<Received> received() {
    return received;
  }

  Received last() {
    return received.get(received.size() - 1);
  }

  /** Lets a held {@code /dbt/stream} answer finish; the next one is held again. */
  void release() {
    CountDownLatch gate = streamGate;
    streamGate = new CountDownLatch(1);
    gate.countDown();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String path = exchange.getRequestURI().getRawPath();
      String query = exchange.getRequestURI().getRawQuery();
      received.add(new Received(exchange.getRequestMethod(), path, query, body, exchange.getRequestHeaders()));
      if (path.equals("/health") && exchange.getRequestMethod().equals("GET")) {
        answer(exchange, 200, "application/json", "{\"status\":\"ok\"}");
        return;
      }
      if (!("Bearer " + token.get()).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        answer(exchange, 401, "application/json", "{\"error\":\"a valid token is required\"}");
        return;
      }
      if (path.equals("/dbt/stream")) {
        CountDownLatch gate = streamGate;
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(200, 0); // chunked
        OutputStream out = exchange.getResponseBody();
        out.write("line 1\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        try {
          gate.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        out.write("line 2\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        return;
      }
      int status = query != null && query.startsWith("status=") ? Integer.parseInt(query.substring(7)) : 200;
      exchange.getResponseHeaders().set("ETag", "\"v1\"");
      exchange.getResponseHeaders().set("X-Runtime-Internal", "not for clients");
      answer(exchange, status, "text/plain; charset=utf-8",
          exchange.getRequestMethod() + " " + path + (query == null ? "" : "?" + query) + " " + body.length());
    }
  }

  private static void answer(HttpExchange exchange, int status, String contentType, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    release();
    server.stop(0);
  }
}
