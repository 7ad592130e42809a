package dev.dbtplatform.bench.operator;

import dev.dbtplatform.embedded.EmbeddedKubernetes;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts the API stand-in without its log line per request: at thousands of requests a second,
 * writing them would cost more than serving them, and that is not what is measured.
 */
public final class QuietStandIn {
  /** Held here because java.util.logging keeps loggers only weakly, and would forget the level. */
  private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  private QuietStandIn() {}

  public static EmbeddedKubernetes start() {
    MOCK_SERVER_LOG.setLevel(Level.WARNING);
    return EmbeddedKubernetes.start();
  }
}
