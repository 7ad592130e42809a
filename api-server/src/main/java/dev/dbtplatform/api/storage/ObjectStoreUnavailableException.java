package dev.dbtplatform.api.storage;

/**
 * The object store could not be reached, timed out, or answered 5xx or "slow down" after the
 * client's retries: the same request may well succeed later (the API answers 503).
 */
public class ObjectStoreUnavailableException extends ObjectStoreException {
  public ObjectStoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
