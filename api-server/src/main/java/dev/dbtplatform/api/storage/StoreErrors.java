package dev.dbtplatform.api.storage;

import dev.dbtplatform.contract.Causes;

import java.io.IOException;
import java.io.UncheckedIOException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Turns what the S3 client throws (after its own retries) into the two failures the API knows:
 * {@link ObjectStoreUnavailableException} when trying again later may help, else
 * {@link ObjectStoreException}. Messages are built from the store's error code and text or the
 * network error, which never carry the credentials.
 */
final class StoreErrors {
  private StoreErrors() {}

  /**
   * @param endpoint the store, as {@link ObjectStoreSettings#endpointDescription()}
   * @param action what was tried, completing "cannot ...": "read s3://bucket/key"
   */
  static ObjectStoreException translate(String endpoint, String action, Exception e) {
    if (isTransient(e)) {
      return new ObjectStoreUnavailableException(
          "object store at " + endpoint + " is unavailable, cannot " + action + ": " + describe(e), e);
    }
    return new ObjectStoreException("object store at " + endpoint + " refused to " + action + ": " + describe(e), e);
  }

  /** Down, overloaded, or the network failed. */
  static boolean isTransient(Exception e) {
    if (e instanceof SdkServiceException service) {
      int status = service.statusCode();
      return status >= 500 || status == 429 || status == 408 || service.isThrottlingException();
    }
    if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
      return true;
    }
    return ioCause(e) != null;
  }

  /** "HTTP 503 SlowDown: Please reduce your request rate." or "ConnectException: Connection refused". */
  static String describe(Exception e) {
    if (e instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
      AwsErrorDetails details = aws.awsErrorDetails();
      StringBuilder text = new StringBuilder("HTTP ").append(aws.statusCode());
      if (details.errorCode() != null && !details.errorCode().isBlank()) {
        text.append(' ').append(details.errorCode());
      }
      if (details.errorMessage() != null && !details.errorMessage().isBlank()) {
        text.append(": ").append(details.errorMessage());
      }
      return text.toString();
    }
    if (e instanceof SdkServiceException service) {
      return "HTTP " + service.statusCode();
    }
    Throwable io = ioCause(e);
    Throwable cause = io != null ? Causes.root(io) : e;
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
  }

  private static Throwable ioCause(Throwable e) {
    return Causes.first(e, IOException.class, UncheckedIOException.class);
  }
}
