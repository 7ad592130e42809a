package dev.dbtplatform.flush;

import dev.dbtplatform.contract.Causes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/** Which object store errors waiting can fix, and how to say what went wrong in a few words. */
final class S3Errors {
  private S3Errors() {}

  private static final Set<String> RETRYABLE_CODES = Set.of(
      "SlowDown", "Throttling", "ThrottlingException", "RequestThrottled", "TooManyRequests",
      "RequestTimeout", "InternalError", "ServiceUnavailable", "OperationAborted");

  private static final Set<String> CREDENTIAL_CODES = Set.of(
      "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken", "InvalidSecurity",
      "AccessDenied", "AuthorizationHeaderMalformed");

  /** The store is down, overloaded or the network failed: retrying later may succeed. */
  static boolean isRetryable(Throwable e) {
    if (e instanceof SdkServiceException service) {
      int status = service.statusCode();
      return status >= 500 || status == 429 || status == 408 || service.isThrottlingException()
          || isOneOf(errorCode(service), RETRYABLE_CODES);
    }
    if (e instanceof SdkClientException || e instanceof UncheckedIOException) {
      return hasIoCause(e);
    }
    return false;
  }

  /** Whether the failure is an unreachable store (network) rather than one that answers errors. */
  static boolean isNetworkError(Throwable e) {
    return !(e instanceof SdkServiceException) && hasIoCause(e);
  }

  /**
   * Whether the store dropped a kept-alive connection under the request (it closed the connection
   * while the client reused it from its pool). A new connection usually works at once.
   */
  static boolean isDroppedConnection(Throwable e) {
    Throwable io = firstIoCause(e);
    if (io == null || e instanceof SdkServiceException) {
      return false;
    }
    String message = Causes.root(io).getMessage();
    return message != null && DROPPED_CONNECTION_MESSAGES.stream().anyMatch(message::contains);
  }

  private static final Set<String> DROPPED_CONNECTION_MESSAGES = Set.of(
      "Error writing request body to server", "Connection reset", "Broken pipe", "Unexpected end of file from server");

  static int statusCode(Throwable e) {
    return e instanceof SdkServiceException service ? service.statusCode() : 0;
  }

  /** The S3 error code (NoSuchBucket, AccessDenied, ...), null when there is none. */
  static String errorCode(Throwable e) {
    if (e instanceof AwsServiceException aws) {
      AwsErrorDetails details = aws.awsErrorDetails();
      return details == null ? null : details.errorCode();
    }
    return null;
  }

  static boolean isCredentialError(Throwable e) {
    return isOneOf(errorCode(e), CREDENTIAL_CODES);
  }

  static boolean isMissingCredentials(Throwable e) {
    return e instanceof SdkClientException && e.getMessage() != null
        && e.getMessage().contains("Unable to load credentials");
  }

  /** "HTTP 503 SlowDown: Please reduce your request rate." or "Connection refused". */
  static String describe(Throwable e) {
    if (e instanceof AwsServiceException aws) {
      AwsErrorDetails details = aws.awsErrorDetails();
      String code = details == null ? null : details.errorCode();
      String message = details == null ? null : details.errorMessage();
      StringBuilder text = new StringBuilder("HTTP ").append(aws.statusCode());
      if (code != null && !code.isBlank()) {
        text.append(' ').append(code);
      }
      if (message != null && !message.isBlank()) {
        text.append(": ").append(message);
      }
      return text.toString();
    }
    if (e instanceof SdkServiceException service) {
      return "HTTP " + service.statusCode() + (service.getMessage() == null ? "" : ": " + service.getMessage());
    }
    Throwable io = firstIoCause(e);
    if (io != null) {
      Throwable root = Causes.root(io);
      String message = root.getMessage();
      if (root instanceof ConnectException && message != null) {
        return message;
      }
      return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** Set.of(...).contains(null) throws. */
  private static boolean isOneOf(String code, Set<String> codes) {
    return code != null && codes.contains(code);
  }

  private static boolean hasIoCause(Throwable e) {
    return firstIoCause(e) != null;
  }

  private static Throwable firstIoCause(Throwable e) {
    return Causes.first(e, IOException.class);
  }
}
