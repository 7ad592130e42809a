package dev.dbtplatform.local.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes the commands pods run in one-machine mode: for each command name (say
 * {@code dbt-platform-run}), an executable {@code sh} script in the bin folder that runs
 * {@code exec <java> -cp <classpath> <MainClass> "$@"}. The local node puts the bin folder first on
 * every container's PATH, so a pod's {@code command: ["dbt-platform-run"]} runs that main class in a
 * JVM of its own.
 */
public final class LauncherScripts {
  private LauncherScripts() {}

  /**
   * Writes (or replaces) one script per entry of {@code commands} (command name to main class).
   *
   * @param binDir folder of the scripts, created if missing
   * @param classpath the classpath of the launched JVMs
   * @param javaExecutable the {@code java} to run; see {@link #currentJava()}
   * @return the scripts written
   */
  public static List<Path> write(Path binDir, Map<String, String> commands, String classpath, String javaExecutable) {
    return write(binDir, commands, classpath, javaExecutable, List.of());
  }

  /** As {@link #write(Path, Map, String, String)}, with JVM options (such as {@code -Xmx512m}) before the main class. */
  public static List<Path> write(Path binDir, Map<String, String> commands, String classpath, String javaExecutable,
      List<String> jvmOptions) {
    List<Path> written = new ArrayList<>();
    try {
      Files.createDirectories(binDir);
      for (Map.Entry<String, String> e : commands.entrySet()) {
        String command = e.getKey();
        if (command.isEmpty() || command.contains("/") || command.equals(".") || command.equals("..")) {
          throw new IllegalArgumentException("not a command name: " + command);
        }
        Path script = binDir.resolve(command);
        Path tmp = binDir.resolve("." + command + ".tmp");
        Files.writeString(tmp, script(e.getValue(), classpath, javaExecutable, jvmOptions), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        try {
          Files.move(tmp, script, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException ex) {
          Files.move(tmp, script, StandardCopyOption.REPLACE_EXISTING);
        }
        written.add(script);
      }
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write launcher scripts to " + binDir, ex);
    }
    return written;
  }

  /** The text of one script. */
  static String script(String mainClass, String classpath, String javaExecutable, List<String> jvmOptions) {
    StringBuilder line = new StringBuilder("exec ").append(quote(javaExecutable));
    for (String option : jvmOptions) {
      line.append(' ').append(quote(option));
    }
    line.append(" -cp ").append(quote(classpath)).append(' ').append(quote(mainClass)).append(" \"$@\"");
    return "#!/bin/sh\n# Written by the dbt-platform local node: runs " + mainClass.replace('\n', ' ') + ".\n"
        + line + "\n";
  }

  /** The java executable of this JVM. */
  public static String currentJava() {
    return ProcessHandle.current().info().command()
        .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** Single-quoted for sh: nothing inside is expanded. */
  static String quote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }
}
