package dev.dbtplatform.api.tls;

/**
 * A certificate or key file that the server cannot use, with a message that says which file and
 * what to do. An {@link IllegalArgumentException} because it is a configuration mistake: the
 * server's command line reports those as such and exits.
 */
public final class TlsFileException extends IllegalArgumentException {
  public TlsFileException(String message) {
    super(message);
  }

  public TlsFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
