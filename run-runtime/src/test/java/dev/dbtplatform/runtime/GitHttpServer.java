package dev.dbtplatform.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A git smart-HTTP server for tests: git's own git-http-backend (CGI) behind HTTP basic auth,
 * so the clone's credential handling is tested against a real git client and server.
 */
final class GitHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final Path projectRoot;
  private final String expectedAuthorization;
  private final String backend;
  final AtomicInteger unauthorized = new AtomicInteger();
  final AtomicInteger authorized = new AtomicInteger();

  GitHttpServer(Path projectRoot, String user, String password) throws IOException {
    this.projectRoot = projectRoot;
    this.expectedAuthorization = "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    this.backend = Path.of(TestSupport.git(projectRoot, "--exec-path"), "git-http-backend").toString();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String url(String repository) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + repository;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!expectedAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        unauthorized.incrementAndGet();
        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      authorized.incrementAndGet();
      ProcessBuilder cgi = new ProcessBuilder(backend);
      Map<String, String> env = cgi.environment();
      env.put("GIT_PROJECT_ROOT", projectRoot.toString());
      env.put("GIT_HTTP_EXPORT_ALL", "1");
      env.put("REQUEST_METHOD", exchange.getRequestMethod());
      env.put("PATH_INFO", exchange.getRequestURI().getPath());
      env.put("QUERY_STRING", exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery());
      env.put("REMOTE_USER", "test");
      env.put("REMOTE_ADDR", "127.0.0.1");
      putHeader(exchange, env, "Content-Type", "CONTENT_TYPE");
      putHeader(exchange, env, "Content-Length", "CONTENT_LENGTH");
      putHeader(exchange, env, "Content-Encoding", "HTTP_CONTENT_ENCODING");
      putHeader(exchange, env, "Git-Protocol", "GIT_PROTOCOL");
      cgi.redirectError(ProcessBuilder.Redirect.DISCARD);
      Process process = cgi.start();
      try (OutputStream stdin = process.getOutputStream(); InputStream body = exchange.getRequestBody()) {
        body.transferTo(stdin);
      }
      InputStream stdout = process.getInputStream();
      int status = 200;
      String header;
      while (!(header = readLine(stdout)).isEmpty()) {
        int colon = header.indexOf(':');
        String name = header.substring(0, colon).trim();
        String value = header.substring(colon + 1).trim();
        if (name.equalsIgnoreCase("Status")) {
          status = Integer.parseInt(value.substring(0, 3));
        } else {
          exchange.getResponseHeaders().add(name, value);
        }
      }
      exchange.sendResponseHeaders(status, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        stdout.transferTo(out);
      }
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void putHeader(HttpExchange exchange, Map<String, String> env, String header, String variable) {
    String value = exchange.getRequestHeaders().getFirst(header);
    if (value != null) {
      env.put(variable, value);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
