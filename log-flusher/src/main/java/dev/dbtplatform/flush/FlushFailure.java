package dev.dbtplatform.flush;

/** The flush cannot complete: the message says why, for a person reading the pod's log. */
public class FlushFailure extends RuntimeException {
  public FlushFailure(String message) {
    super(message);
  }

  public FlushFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
