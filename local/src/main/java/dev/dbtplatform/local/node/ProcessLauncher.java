package dev.dbtplatform.local.node;

import io.fabric8.kubernetes.api.model.Container;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Turns a container into a local process. The image is ignored: the command is looked up on the
 * process PATH (which starts with the node's bin folder), a command with a slash is taken as a path.
 * Kubernetes semantics of command and args: {@code command} replaces the image's entrypoint and
 * {@code args} are appended; with no {@code command} the args are the whole command line (there is no
 * image entrypoint to run them with).
 */
final class ProcessLauncher {
  private final ScheduledExecutorService scheduler;
  private final boolean echo;

  ProcessLauncher(ScheduledExecutorService scheduler, boolean echo) {
    this.scheduler = scheduler;
    this.echo = echo;
  }

  /** What to start: the command line (not yet resolved on PATH), environment, working folder, log file. */
  record LaunchSpec(String label, List<String> argv, Map<String, String> env, Path workingDir, Path logFile) {}

  /** The command could not be started; the kubelet reports such a container terminated with StartError, 128. */
  static final class StartException extends Exception {
    StartException(String message) {
      super(message);
    }
  }

  /** command + args of a container, as the container sees them (before expansion and mapping). */
  static List<String> commandLine(Container container) {
    List<String> argv = new ArrayList<>(EnvResolver.nullSafe(container.getCommand()));
    argv.addAll(EnvResolver.nullSafe(container.getArgs()));
    return argv;
  }

  PodProcess launch(LaunchSpec spec) throws StartException, IOException {
    if (spec.argv().isEmpty() || spec.argv().get(0).isEmpty()) {
      throw new StartException("no command specified");
    }
    List<String> argv = new ArrayList<>(spec.argv());
    Path executable = resolveExecutable(argv.get(0), spec.env().get("PATH"), spec.workingDir());
    argv.set(0, executable.toString());
    ProcessBuilder builder = new ProcessBuilder(argv);
    builder.environment().clear();
    builder.environment().putAll(spec.env());
    builder.directory(spec.workingDir().toFile());
    try {
      return PodProcess.start(builder, spec.label(), spec.logFile(), echo, scheduler);
    } catch (IOException e) {
      throw new StartException("failed to start " + executable + ": " + e.getMessage());
    }
  }

  /** The executable a command names: a path when it contains a slash, else the first match on PATH. */
  static Path resolveExecutable(String command, String path, Path workingDir) throws StartException {
    if (command.contains("/")) {
      Path p = workingDir.resolve(command);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
      throw new StartException("exec: \"" + command + "\": stat " + command + ": no such file or executable");
    }
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (dir.isEmpty()) {
          continue;
        }
        Path p = Path.of(dir).resolve(command);
        if (Files.isRegularFile(p) && Files.isExecutable(p)) {
          return p.toAbsolutePath();
        }
      }
    }
    throw new StartException("exec: \"" + command + "\": executable file not found in $PATH");
  }
}
