package dev.dbtplatform.api.webhooks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * POSTs a payload to a receiver, signed, and waits at most the timeout for the whole exchange.
 * Redirects are not followed: a signed event goes only where the subscription says.
 */
final class WebhookSender {
  static final String USER_AGENT = "dbt-platform-webhooks";

  private final HttpClient http;
  private final Duration timeout;

  WebhookSender(Duration timeout) {
    this.timeout = timeout;
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(timeout)
        .build();
  }

  /** Starts sending; {@link #outcome} waits for the answer. Attempts to several receivers run at once. */
  CompletableFuture<HttpResponse<Void>> send(String clientUrl, String secret, String payload) {
    byte[] body = payload.getBytes(StandardCharsets.UTF_8);
    HttpRequest request = HttpRequest.newBuilder(URI.create(clientUrl))
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .header("User-Agent", USER_AGENT)
        .header("Authorization", WebhookSignature.sign(secret, body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
  }

  /** The attempt's outcome, waiting until {@code startedNanos} plus the timeout at most. */
  AttemptOutcome outcome(CompletableFuture<HttpResponse<Void>> sending, long startedNanos) {
    long left = timeout.toNanos() - (System.nanoTime() - startedNanos);
    try {
      HttpResponse<Void> response = sending.get(Math.max(left, 0), TimeUnit.NANOSECONDS);
      return AttemptOutcome.answered(response.statusCode(), since(startedNanos));
    } catch (TimeoutException e) {
      sending.cancel(true);
      return AttemptOutcome.unanswered(timedOut(), since(startedNanos));
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      String error = cause instanceof HttpTimeoutException ? timedOut() : describe(cause);
      return AttemptOutcome.unanswered(error, since(startedNanos));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sending.cancel(true);
      return AttemptOutcome.unanswered("the API server stopped while sending", since(startedNanos));
    }
  }

  private String timedOut() {
    return "no answer within " + timeout.toMillis() + " ms";
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    String kind = cause.getClass().getSimpleName();
    return message == null || message.isBlank() ? kind : kind + ": " + message;
  }

  private static Duration since(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }
}
