package dev.dbtplatform.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a process (dbt or git) with an exact environment, streams its output line by line to a
 * {@link LogSink}, and stops its whole process tree when the run times out or is terminated.
 */
final class ProcessRunner {
  private ProcessRunner() {}

  /** How often the wait loop looks at the timeout and for SIGTERM. */
  private static final long POLL_MILLIS = 100;

  /**
   * @param exitCode the process's exit code (after a stop: whatever the signal gave it)
   * @param stoppedBy why the runtime stopped the process, null when it exited by itself
   */
  record Result(int exitCode, RunControl.Stop stoppedBy) {}

  static Result run(List<String> command, Path dir, Map<String, String> env, LogSink log, RunControl control)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(env);
    Process process = builder.start();
    control.processStarted(process);
    // No input: a process that wants to prompt (git for a password) gets EOF instead of hanging.
    process.getOutputStream().close();
    Thread pump = new Thread(() -> pump(process.getInputStream(), log), "output-of-" + process.pid());
    pump.setDaemon(true);
    pump.start();

    RunControl.Stop stoppedBy = null;
    int exitCode = -1;
    try {
      while (!process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        stoppedBy = control.stopRequested();
        if (stoppedBy != null) {
          log.info((stoppedBy == RunControl.Stop.TIMEOUT ? "Timeout reached" : "Received SIGTERM")
              + ", stopping " + command.get(0) + " (pid " + process.pid() + ") and its child processes");
          if (!ProcessTree.stop(process.toHandle(), ProcessTree.DEFAULT_GRACE)) {
            log.info("Some processes ignored SIGTERM for " + ProcessTree.DEFAULT_GRACE.toSeconds() + "s and were killed");
          }
          break;
        }
      }
      // After a stop the JDK may not have reaped the process yet.
      if (process.waitFor(5, TimeUnit.SECONDS)) {
        exitCode = process.exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ProcessTree.stop(process.toHandle(), Duration.ZERO);
    }
    // A grandchild that survived could keep the pipe open: never wait for the pump forever.
    joinQuietly(pump, Duration.ofSeconds(5));
    control.processEnded();
    return new Result(exitCode, stoppedBy);
  }

  /**
   * Runs a short command (git rev-parse and the like) and returns its trimmed stdout, or null when
   * it failed. Not logged: the callers log what they learn.
   */
  static String capture(List<String> command, Path dir, Map<String, String> env) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().clear();
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return null;
      }
      return process.exitValue() == 0 ? output : null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return null;
    }
  }

  private static void pump(InputStream output, LogSink log) {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        log.line(line);
      }
    } catch (IOException | RuntimeException e) {
      // The stream closes when the process is killed; nothing left to read.
    }
  }

  private static void joinQuietly(Thread thread, Duration timeout) {
    try {
      thread.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
