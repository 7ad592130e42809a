package dev.dbtplatform.flush;

/** The flush's configuration is missing or wrong: exit code 2. */
public class InvalidConfigException extends RuntimeException {
  public InvalidConfigException(String message) {
    super(message);
  }

  public InvalidConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
