package dev.dbtplatform.api.storage;

/**
 * The object store answered, but with an error that waiting will not fix: refused credentials, a
 * missing bucket, a malformed request. A misconfigured server, not a bad API request.
 *
 * <p>Messages name the endpoint and the store's error, never the credentials.
 */
public class ObjectStoreException extends RuntimeException {
  public ObjectStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
