package dev.dbtplatform.api.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's keytool, run as a process: it makes certificates with the extensions a CA needs,
 * which the JDK has no public API for. Passwords reach it through environment variables
 * ({@code -storepass:env}), never the command line that other users can list.
 */
final class Keytool {
  private static final long TIMEOUT_SECONDS = 60;
  /** keytool's JVM lives for half a second: compiling and collecting for throughput would only slow it down. */
  private static final List<String> SHORT_LIVED_JVM = List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC");

  private Keytool() {}

  static Path executable() {
    return Path.of(System.getProperty("java.home"), "bin", "keytool");
  }

  /**
   * @param passwords environment variables to set, by name: the values for {@code -storepass:env NAME}
   * @param input what keytool reads from stdin; null for nothing
   * @return what keytool wrote to stdout
   */
  static byte[] run(Map<String, char[]> passwords, byte[] input, String... args) {
    List<String> command = new ArrayList<>();
    command.add(executable().toString());
    command.addAll(SHORT_LIVED_JVM);
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    passwords.forEach((name, value) -> builder.environment().put(name, new String(value)));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + executable() + ": " + e.getMessage()
          + " (one-machine mode needs a full JDK, which has keytool)", e);
    }
    try {
      CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
      try (OutputStream stdin = process.getOutputStream()) {
        if (input != null) {
          stdin.write(input);
        }
      }
      byte[] stdout = readAll(process.getInputStream());
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("keytool " + args[0] + " did not finish within " + TIMEOUT_SECONDS + " s");
      }
      if (process.exitValue() != 0) {
        // keytool prints its errors on stdout; neither stream ever holds a password
        throw new IllegalStateException("keytool " + args[0] + " failed (exit " + process.exitValue() + "): "
            + (new String(stdout, StandardCharsets.UTF_8) + new String(stderr.join(), StandardCharsets.UTF_8)).strip());
      }
      return stdout;
    } catch (IOException e) {
      throw new UncheckedIOException("talking to keytool " + args[0] + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while keytool " + args[0] + " ran", e);
    } finally {
      process.destroyForcibly();
    }
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
