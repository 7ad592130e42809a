package dev.dbtplatform.api.webhooks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A webhook receiver on 127.0.0.1 that keeps every request it gets. Each path answers the
 * statuses it was given in turn, the last one from then on (200 when none were given), with the
 * headers it was given, and may wait before answering.
 */
final class TestReceiver implements AutoCloseable {
  /** A request as it arrived: the exact body bytes and the headers a receiver checks. */
  record Received(String path, String authorization, String contentType, byte[] body) {
    String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, List<Integer>> answers = new ConcurrentHashMap<>();
  private final Map<String, Duration> delays = new ConcurrentHashMap<>();
  private final Map<String, Map<String, String>> headers = new ConcurrentHashMap<>();

  TestReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newCachedThreadPool()); // a slow answer must not hold up the others
    server.createContext("/", this::handle);
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  void answer(String path, Integer... statuses) {
    answers.put(path, new ArrayList<>(List.of(statuses)));
  }

  /** Headers every answer on this path carries, such as Retry-After. */
  void headers(String path, Map<String, String> values) {
    headers.put(path, Map.copyOf(values));
  }

  void delay(String path, Duration delay) {
    delays.put(path, delay);
  }

  List<Received> received(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    byte[] body = exchange.getRequestBody().readAllBytes();
    received.add(new Received(path, exchange.getRequestHeaders().getFirst("Authorization"),
        exchange.getRequestHeaders().getFirst("Content-Type"), body));
    Duration delay = delays.get(path);
    if (delay != null) {
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    headers.getOrDefault(path, Map.of()).forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    exchange.sendResponseHeaders(nextStatus(path), -1);
    exchange.close();
  }

  private synchronized int nextStatus(String path) {
    List<Integer> statuses = answers.get(path);
    if (statuses == null || statuses.isEmpty()) {
      return 200;
    }
    return statuses.size() == 1 ? statuses.get(0) : statuses.remove(0);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
