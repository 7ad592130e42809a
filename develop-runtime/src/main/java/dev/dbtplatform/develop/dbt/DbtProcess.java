package dev.dbtplatform.develop.dbt;

import dev.dbtplatform.runtime.ProcessTree;
import dev.dbtplatform.runtime.SecretMasker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One dbt process: its output, masked, line by line to a consumer; and a cancel that stops it as
 * the run runtime stops a cancelled run (SIGINT so dbt cancels its warehouse queries, then the
 * whole process tree after a grace period).
 */
public final class DbtProcess {
  private final Process process;
  private final Thread pump;
  private volatile boolean cancelRequested;

  private DbtProcess(Process process, Thread pump) {
    this.process = process;
    this.pump = pump;
  }

  static DbtProcess start(List<String> command, Path dir, Map<String, String> env, SecretMasker masker,
      Consumer<String> lines) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(env);
    Process process = builder.start();
    // No input: a dbt that wants to prompt gets EOF instead of hanging.
    process.getOutputStream().close();
    Thread pump = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          lines.accept(masker.mask(line));
        }
      } catch (IOException | RuntimeException e) {
        // The stream closes when the process is killed; nothing left to read.
      }
    }, "dbt-output-" + process.pid());
    pump.setDaemon(true);
    pump.start();
    return new DbtProcess(process, pump);
  }

  /** Asks the process to stop and returns at once; the process ends within the grace periods. */
  public void cancel() {
    synchronized (this) {
      if (cancelRequested || !process.isAlive()) {
        return;
      }
      cancelRequested = true;
    }
    Thread stopper = new Thread(() -> ProcessTree.stop(process.toHandle(), ProcessTree.DEFAULT_GRACE),
        "dbt-cancel-" + process.pid());
    stopper.setDaemon(true);
    stopper.start();
  }

  public boolean cancelRequested() {
    return cancelRequested;
  }

  /**
   * Waits until the process has ended and its output is read.
   *
   * @return the exit code, or null when it did not end in time (it is still running)
   */
  public Integer await(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      return null;
    }
    // A grandchild that survived could keep the pipe open: never wait for the pump forever.
    pump.join(TimeUnit.SECONDS.toMillis(5));
    return process.exitValue();
  }

  public long pid() {
    return process.pid();
  }
}
