package dev.dbtplatform.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbtplatform.api.tls.CaTrust;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The demos' HTTPS client of the API: one token, trusting the local CA and nothing else, as a
 * user's client would. Calls that do not answer 200, 201 or 202 throw, with the API's message.
 */
final class ApiClient {
  static final ObjectMapper JSON = new ObjectMapper();

  private final String baseUrl;
  private final String token;
  private final HttpClient http;

  ApiClient(String baseUrl, Path caCertificate, String token) {
    this.baseUrl = baseUrl;
    this.token = token;
    this.http = HttpClient.newBuilder().sslContext(CaTrust.sslContext(caCertificate)).build();
  }

  /** The `data` of an answer in the API's envelope. */
  JsonNode data(String method, String path, Object body) throws IOException, InterruptedException {
    return json(method, path, body).get("data");
  }

  /** An answer as JSON, as it came (the develop runtime's, through the proxy, has no envelope). */
  JsonNode json(String method, String path, Object body) throws IOException, InterruptedException {
    return JSON.readTree(send(method, path, body).body());
  }

  HttpResponse<String> send(String method, String path, Object body) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .header("Authorization", "Token " + token)
        .timeout(Duration.ofMinutes(2));
    request = body == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
        : request.header("Content-Type", "application/json").method(method,
            HttpRequest.BodyPublishers.ofString(body instanceof String text ? text : JSON.writeValueAsString(body)));
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() < 200 || response.statusCode() > 202) {
      throw new IOException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return response;
  }
}
