package dev.dbtplatform.api.webhooks;

import java.time.Duration;

/**
 * How one attempt to deliver ended: the receiver's HTTP status (and its {@code Retry-After}, on
 * the answers that may carry one), or, when none came (refused connection, timeout, bad address,
 * a secret that could not be read to sign), why.
 */
record AttemptOutcome(Integer statusCode, String error, Duration took, String retryAfter) {
  static AttemptOutcome answered(int statusCode, Duration took) {
    return answered(statusCode, null, took);
  }

  static AttemptOutcome answered(int statusCode, String retryAfter, Duration took) {
    return new AttemptOutcome(statusCode, null, took, RetryAfter.appliesTo(statusCode) ? retryAfter : null);
  }

  static AttemptOutcome unanswered(String error, Duration took) {
    return new AttemptOutcome(null, error, took, null);
  }

  boolean delivered() {
    return statusCode != null && statusCode >= 200 && statusCode < 300;
  }

  /**
   * Worth another try: no answer, a server error, or "too many requests" / "timeout". Any other
   * answer (400, 401, 404, a redirect...) would be the same next time.
   */
  boolean retriable() {
    return statusCode == null || statusCode >= 500 || statusCode == 429 || statusCode == 408;
  }

  /** What the delivery log shows for a failed attempt. */
  String describe() {
    return statusCode != null ? "the receiver answered HTTP " + statusCode : error;
  }
}
