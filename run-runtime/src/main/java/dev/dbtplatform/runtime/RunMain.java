package dev.dbtplatform.runtime;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The program of a run pod (and of a run process in one-machine mode). Configured by the
 * DBT_PLATFORM_* variables of {@link dev.dbtplatform.contract.RuntimeEnv}; exits with one of its
 * exit codes.
 */
public final class RunMain {
  private RunMain() {}

  public static void main(String[] args) {
    // dbt writes UTF-8; a container's POSIX locale would turn every non-ASCII character into '?'.
    PrintStream stdout = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    RunRuntime runtime = new RunRuntime(RunSettings.fromEnvironment(System.getenv(), stdout));
    // SIGTERM (pod deleted, run cancelled) starts the JVM's shutdown: the hook has the main
    // thread stop dbt and write a Cancelled summary before the JVM exits with 143.
    Runtime.getRuntime().addShutdownHook(new Thread(runtime::terminate, "sigterm"));
    int exitCode = runtime.run();
    if (runtime.terminationRequested()) {
      // The JVM is already shutting down and exits with 143 once the hook returns;
      // System.exit would block forever here.
      return;
    }
    System.exit(exitCode);
  }
}
