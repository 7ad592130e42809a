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
 * POSTs a payload to a receiver, signed with the subscription's secret (opened from its stored
 * form only here, for the signature), and waits at most the timeout for the whole exchange.
 * Redirects are not followed: a signed event goes only where the subscription says.
 */
final class WebhookSender {
  static final String USER_AGENT = "dbt-platform-webhooks";

  /**
   * An attempt under way: the answer to wait for, or, when it could not even start (a secret
   * that cannot be opened, a URL the HTTP client refuses), its outcome already.
   */
  record Attempt(long startedNanos, CompletableFuture<HttpResponse<Void>> sending, AttemptOutcome refused) {}

  private final HttpClient http;
  private final Duration timeout;
  private final WebhookSecrets secrets;

  WebhookSender(Duration timeout, WebhookSecrets secrets) {
    this.timeout = timeout;
    this.secrets = secrets;
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(timeout)
        .build();
  }

  /** Starts sending; {@link #outcome} waits for the answer. Attempts to several receivers run at once. */
  Attempt start(String clientUrl, String storedSecret, String payload) {
    long startedNanos = System.nanoTime();
    String secret;
    try {
      secret = secrets.open(storedSecret);
    } catch (WebhookSecrets.UnreadableSecretException e) {
      return new Attempt(startedNanos, null, AttemptOutcome.unanswered("cannot sign: " + e.getMessage(), Duration.ZERO));
    }
    try {
      byte[] body = payload.getBytes(StandardCharsets.UTF_8);
      HttpRequest request = HttpRequest.newBuilder(URI.create(clientUrl))
          .timeout(timeout)
          .header("Content-Type", "application/json")
          .header("User-Agent", USER_AGENT)
          .header("Authorization", WebhookSignature.sign(secret, body))
          .POST(HttpRequest.BodyPublishers.ofByteArray(body))
          .build();
      return new Attempt(startedNanos, http.sendAsync(request, HttpResponse.BodyHandlers.discarding()), null);
    } catch (RuntimeException e) { // an address the HTTP client cannot use
      return new Attempt(startedNanos, null,
          AttemptOutcome.unanswered("cannot send to the subscription's URL: " + e.getMessage(), Duration.ZERO));
    }
  }

  /** The attempt's outcome, waiting until its start plus the timeout at most. */
  AttemptOutcome outcome(Attempt attempt) {
    if (attempt.refused() != null) {
      return attempt.refused();
    }
    CompletableFuture<HttpResponse<Void>> sending = attempt.sending();
    long startedNanos = attempt.startedNanos();
    long left = timeout.toNanos() - (System.nanoTime() - startedNanos);
    try {
      HttpResponse<Void> response = sending.get(Math.max(left, 0), TimeUnit.NANOSECONDS);
      return AttemptOutcome.answered(response.statusCode(), response.headers().firstValue("Retry-After").orElse(null),
          since(startedNanos));
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
