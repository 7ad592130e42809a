package dev.dbtplatform.develop;

import dev.dbtplatform.contract.RuntimeEnv;

/**
 * The program of a develop pod (and of a develop process in one-machine mode): the HTTP server
 * over one user's dbt workspace. Configured by the DBT_PLATFORM_* variables of
 * {@link RuntimeEnv}; runs until SIGTERM, which stops a running dbt command first.
 */
public final class DevelopMain {
  private DevelopMain() {}

  public static void main(String[] args) {
    DevelopServer server;
    try {
      server = DevelopServer.start(DevelopSettings.fromEnvironment(System.getenv()));
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("The develop runtime cannot start: " + e.getMessage());
      System.exit(RuntimeEnv.EXIT_INVALID_CONFIG);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "sigterm"));
    // Jetty's threads keep the JVM running until SIGTERM.
  }
}
