package dev.dbtplatform.develop;

import java.util.List;

/**
 * A request the workspace cannot carry out, with what the caller can do about it. The HTTP layer
 * turns the kind into a status code and the code and message into the error body; the process
 * itself never stops because of one.
 */
public final class DevelopException extends RuntimeException {
  public enum Kind {
    INVALID(400), UNAUTHORIZED(401), NOT_FOUND(404), CONFLICT(409), TOO_LARGE(413), NOT_READY(503);

    public final int status;

    Kind(int status) {
      this.status = status;
    }
  }

  private final Kind kind;
  private final String code;
  private final List<String> output;

  /** @param output lines of dbt or git output that explain the failure, empty when there are none */
  public DevelopException(Kind kind, String code, String message, List<String> output) {
    super(message);
    this.kind = kind;
    this.code = code;
    this.output = output == null ? List.of() : List.copyOf(output);
  }

  public static DevelopException invalid(String code, String message) {
    return new DevelopException(Kind.INVALID, code, message, null);
  }

  public static DevelopException notFound(String code, String message) {
    return new DevelopException(Kind.NOT_FOUND, code, message, null);
  }

  public static DevelopException conflict(String code, String message) {
    return new DevelopException(Kind.CONFLICT, code, message, null);
  }

  public static DevelopException tooLarge(String code, String message) {
    return new DevelopException(Kind.TOO_LARGE, code, message, null);
  }

  public Kind kind() {
    return kind;
  }

  public String code() {
    return code;
  }

  public List<String> output() {
    return output;
  }
}
