package dev.dbtplatform.local.clients;

import dev.dbtplatform.api.tls.CaTrust;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * Sends a request as a client library puts it on the wire: the method, the path with its query
 * string already encoded the library's way, the library's headers and its body bytes (or none).
 * Over HTTPS, trusting only the platform's CA, as a user's client configured with
 * REQUESTS_CA_BUNDLE would, and over HTTP/1.1, the only version the Python libraries speak.
 * Redirects are not followed: some clients refuse them.
 *
 * <p>requests, httpx and aiohttp all ask for compressed answers and decompress them unseen, so
 * every call here sends their {@code Accept-Encoding} and decodes what comes back the same way.
 */
public final class WireClient {
  /** What the three Python HTTP libraries accept, without the optional brotli and zstandard packages. */
  static final String ACCEPT_ENCODING = "gzip, deflate";

  private final String baseUrl;
  private final HttpClient http;

  public WireClient(String baseUrl, Path caCertificate) {
    this.baseUrl = baseUrl;
    this.http = HttpClient.newBuilder()
        .sslContext(CaTrust.sslContext(caCertificate))
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  /**
   * @param pathAndQuery from the root, like {@code /api/v2/accounts/1/runs/?order_by=-id}
   * @param body the body text, or null to send none at all
   */
  public Reply send(String method, String pathAndQuery, Map<String, String> headers, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    request.header("Accept-Encoding", ACCEPT_ENCODING);
    headers.forEach(request::header);
    try {
      HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      String encoding = response.headers().firstValue("Content-Encoding").orElse("identity");
      return new Reply(method + " " + pathAndQuery, response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""), decoded(response.body(), encoding));
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + pathAndQuery + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during " + method + " " + pathAndQuery, e);
    }
  }

  private static String decoded(byte[] body, String encoding) throws IOException {
    InputStream raw = new ByteArrayInputStream(body);
    InputStream in = switch (encoding) {
      case "gzip" -> new GZIPInputStream(raw);
      case "deflate" -> new InflaterInputStream(raw);
      case "identity" -> raw;
      default -> throw new IOException("a Content-Encoding none of the clients asked for: " + encoding);
    };
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
