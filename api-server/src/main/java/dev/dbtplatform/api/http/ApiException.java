package dev.dbtplatform.api.http;

/** A request the API refuses: its status and a message a person can act on. */
public final class ApiException extends RuntimeException {
  private final int status;

  public ApiException(int status, String userMessage) {
    super(userMessage, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }

  public static ApiException notFound(String what) {
    return new ApiException(404, what);
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  public static ApiException unauthorized(String message) {
    return new ApiException(401, message);
  }
}
