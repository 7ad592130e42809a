package dev.dbtplatform.develop.git;

import dev.dbtplatform.develop.DevelopException;
import dev.dbtplatform.runtime.ProcessTree;
import dev.dbtplatform.runtime.SecretMasker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real git in the checkout and captures what it says. Output is masked, since git quotes
 * URLs and a remote's error messages may echo credentials.
 */
public final class GitCli {
  /** Commands that only look at the checkout. */
  public static final Duration LOCAL = Duration.ofSeconds(60);
  /** Commands that talk to the remote. */
  public static final Duration NETWORK = Duration.ofMinutes(10);
  /** More than any diff a person reads; the rest is cut. */
  static final int MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

  /** @param truncated whether stdout was longer than {@link #MAX_OUTPUT_BYTES} and was cut */
  public record Result(int exitCode, String stdout, String stderr, boolean truncated) {
    public boolean ok() {
      return exitCode == 0;
    }

    /** What git said, for an error message: stderr, or stdout when stderr is empty. */
    public String message() {
      String text = stderr.isBlank() ? stdout : stderr;
      return text.strip();
    }
  }

  private final Path dir;
  private final Map<String, String> env;
  private final SecretMasker masker;

  public GitCli(Path dir, Map<String, String> env, SecretMasker masker) {
    this.dir = dir;
    this.env = Map.copyOf(env);
    this.masker = masker;
  }

  public Result run(Duration timeout, String... args) {
    List<String> command = new ArrayList<>(List.of("git",
        // No credential helper: a token must not be cached or stored anywhere by git.
        "-c", "credential.helper=",
        // Nobody can enter a signing passphrase in a pod.
        "-c", "commit.gpgsign=false",
        // Paths as they are (UTF-8), not octal escapes.
        "-c", "core.quotepath=off",
        "-c", "advice.detachedHead=false"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run git: " + e.getMessage(), e);
    }
    try {
      // No input: a git that wants to prompt gets EOF instead of hanging.
      process.getOutputStream().close();
    } catch (IOException e) {
      // closed already
    }
    Capture stdout = Capture.start(process.getInputStream());
    Capture stderr = Capture.start(process.getErrorStream());
    int exitCode;
    try {
      if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        exitCode = process.exitValue();
      } else {
        ProcessTree.stop(process.toHandle(), Duration.ZERO);
        stdout.awaitEnd();
        stderr.awaitEnd();
        return new Result(124, "", "git " + args[0] + " did not finish within " + timeout.toSeconds() + "s and was stopped", false);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ProcessTree.stop(process.toHandle(), Duration.ZERO);
      throw new IllegalStateException("interrupted while git ran", e);
    }
    stdout.awaitEnd();
    stderr.awaitEnd();
    return new Result(exitCode, masker.mask(stdout.text()), masker.mask(stderr.text()), stdout.truncated);
  }

  /**
   * Runs git and returns its stdout; a failure becomes a 409 carrying git's own message, which
   * usually says what to do (commit or stash first, pull first, ...).
   */
  public String require(Duration timeout, String what, String... args) {
    Result result = run(timeout, args);
    if (!result.ok()) {
      throw failure(what, result);
    }
    return result.stdout();
  }

  public static DevelopException failure(String what, Result result) {
    String said = result.message();
    return DevelopException.conflict("git_failed", what + ": " + (said.isEmpty() ? "git exited with code " + result.exitCode() : said));
  }

  /** Reads a stream to its end, keeping the first {@link #MAX_OUTPUT_BYTES}. */
  private static final class Capture extends Thread {
    private final InputStream in;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private volatile boolean truncated;

    private Capture(InputStream in) {
      super("git-output");
      setDaemon(true);
      this.in = in;
    }

    static Capture start(InputStream in) {
      Capture capture = new Capture(in);
      capture.start();
      return capture;
    }

    @Override
    public void run() {
      byte[] buffer = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          int room = MAX_OUTPUT_BYTES - kept.size();
          if (n > room) {
            truncated = true;
          }
          kept.write(buffer, 0, Math.max(0, Math.min(n, room)));
        }
      } catch (IOException e) {
        // the process was stopped; keep what arrived
      }
    }

    /** Bounded: a grandchild that survived could keep the pipe open. */
    void awaitEnd() {
      try {
        join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    String text() {
      return kept.toString(StandardCharsets.UTF_8);
    }
  }
}
