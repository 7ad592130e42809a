package dev.dbtplatform.bench.scheduler;

import io.fabric8.mockwebserver.MockWebServer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Quiets the stand-in's log of every request it answers (java.util.logging, INFO) while a round
 * runs: tens of thousands of lines written on the stand-in's threads would be work a real API
 * server does not do in the operator's process, charged to the scheduler's skew.
 */
final class StandInLog implements AutoCloseable {
  private final Logger logger = Logger.getLogger(MockWebServer.class.getName());
  private final Level before = logger.getLevel();

  StandInLog() {
    logger.setLevel(Level.WARNING);
  }

  @Override
  public void close() {
    logger.setLevel(before);
  }
}
