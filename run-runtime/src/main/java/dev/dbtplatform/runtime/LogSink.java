package dev.dbtplatform.runtime;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Where the lines of a step go: its log file on the run volume (uploaded by the log flush) and
 * stdout (kubectl logs), both with secrets masked. Without a file it writes to stdout only, for
 * the runtime's own lines outside of any step.
 */
public final class LogSink implements Closeable {
  /** The runtime's own lines carry a time like dbt's, so they line up with dbt's output. */
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final PrintStream stdout;
  private final SecretMasker masker;
  private final BufferedWriter file;
  /** Set when the file cannot be written (disk full): the lines still go to stdout. */
  private boolean fileBroken;

  private LogSink(PrintStream stdout, SecretMasker masker, BufferedWriter file) {
    this.stdout = stdout;
    this.masker = masker;
    this.file = file;
  }

  public static LogSink stdoutOnly(PrintStream stdout, SecretMasker masker) {
    return new LogSink(stdout, masker, null);
  }

  /** Opens (and truncates) the step's log file. */
  static LogSink toFile(Path logFile, PrintStream stdout, SecretMasker masker) throws IOException {
    Files.createDirectories(logFile.getParent());
    return new LogSink(stdout, masker, Files.newBufferedWriter(logFile, StandardCharsets.UTF_8));
  }

  /** A line of a process's output, written as it came (masked). */
  public synchronized void line(String text) {
    String masked = masker.mask(text);
    stdout.println(masked);
    stdout.flush();
    if (file != null && !fileBroken) {
      try {
        file.write(masked);
        file.newLine();
        // Flushed per line so a step's log is complete up to the moment the pod dies.
        file.flush();
      } catch (IOException e) {
        // Failing here would stop reading dbt's output, and dbt would block on a full pipe.
        fileBroken = true;
        stdout.println("Cannot write the step log, continuing on stdout only: " + e.getMessage());
      }
    }
  }

  /**
   * A {@link dev.dbtplatform.contract.StepMarkers} line: stdout only, so that the step logs the log
   * flush uploads stay dbt's and the runtime's output. Not masked as a whole, since a short secret
   * could break the format; the caller masks the step name in it.
   */
  synchronized void marker(String line) {
    stdout.println(line);
    stdout.flush();
  }

  /** A line of the runtime itself. */
  public void info(String text) {
    line(ZonedDateTime.now(ZoneOffset.UTC).format(TIME) + "  " + text);
  }

  @Override
  public synchronized void close() {
    if (file != null) {
      try {
        file.close();
      } catch (IOException e) {
        stdout.println("Cannot close a step log: " + e.getMessage());
      }
    }
  }
}
