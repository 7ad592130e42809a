package dev.dbtplatform.develop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A client of one develop runtime, as the API server's proxy would be: JSON in and out, with a token. */
final class Api {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A response: its status and its body as JSON (missing when the body is not JSON). */
  record Response(int status, JsonNode json, String text) {
    JsonNode get(String field) {
      return json.path(field);
    }

    String errorCode() {
      return json.path("error").path("code").asText(null);
    }

    @Override
    public String toString() {
      return status + " " + text;
    }
  }

  private final String base;
  private final String token;

  Api(int port, String token) {
    this.base = "http://127.0.0.1:" + port;
    this.token = token;
  }

  Api withToken(String other) {
    return new Api(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), other);
  }

  Response get(String path) {
    return send(request(path).GET());
  }

  Response post(String path, String json) {
    return send(request(path).POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  Response post(String path) {
    return post(path, "");
  }

  Response put(String path, String json) {
    return send(request(path).PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  Response delete(String path) {
    return send(request(path).DELETE());
  }

  /** A file's text, with a {@code path} parameter encoded as a browser would. */
  Response readFile(String path) {
    return get("/files?path=" + encode(path));
  }

  Response writeFile(String path, String content) {
    return put("/files?path=" + encode(path), json("content", content));
  }

  HttpResponse<java.io.InputStream> stream(String path) throws IOException, InterruptedException {
    return HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A JSON object of alternating names and values. */
  static String json(Object... namesAndValues) {
    var node = JSON.createObjectNode();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      node.set((String) namesAndValues[i], JSON.valueToTree(namesAndValues[i + 1]));
    }
    return node.toString();
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(5))
        .header("Content-Type", "application/json");
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  private static Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json;
      try {
        json = response.body().isEmpty() ? MissingNode.getInstance() : JSON.readTree(response.body());
      } catch (IOException e) {
        json = MissingNode.getInstance();
      }
      return new Response(response.statusCode(), json, response.body());
    } catch (IOException e) {
      throw new IllegalStateException("request failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
