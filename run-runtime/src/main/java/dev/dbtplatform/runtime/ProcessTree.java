package dev.dbtplatform.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Stops a process and everything it started. dbt may run adapters, git or shell hooks in child
 * processes; stopping only dbt would leave them running (and holding warehouse sessions) after the
 * run is reported as stopped.
 */
final class ProcessTree {
  private ProcessTree() {}

  static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
  private static final long POLL_MILLIS = 50;

  /**
   * Sends SIGTERM to the process and its descendants, waits up to {@code grace} for all of them
   * to exit, then kills whatever is left with SIGKILL.
   *
   * @return true when everything exited within the grace period
   */
  static boolean stop(ProcessHandle root, Duration grace) {
    // The descendants must be collected before the root dies: orphans are re-parented and
    // can no longer be found from the root.
    Set<ProcessHandle> tree = new LinkedHashSet<>(root.descendants().toList());
    tree.add(root);
    tree.forEach(ProcessHandle::destroy);
    boolean graceful = awaitExit(tree, grace);
    if (!graceful) {
      if (root.isAlive()) {
        tree.addAll(root.descendants().toList()); // started during the grace period
      }
      tree.forEach(ProcessHandle::destroyForcibly);
      awaitExit(tree, Duration.ofSeconds(5));
    }
    return graceful;
  }

  /** Polls rather than using onExit(): a zombie is "alive" to the JDK but has stopped running. */
  private static boolean awaitExit(Set<ProcessHandle> processes, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (processes.stream().noneMatch(ProcessTree::isRunning)) {
        return true;
      }
      if (System.nanoTime() >= deadline) {
        return false;
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /**
   * Alive and not a zombie. When the runtime is PID 1 of a container, orphaned grandchildren
   * become its children and, once killed, stay zombies that nobody reaps.
   */
  static boolean isRunning(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      // "pid (comm) state ...": comm may contain spaces and parentheses, the state follows the last ')'.
      int end = stat.lastIndexOf(')');
      return end < 0 || end + 2 >= stat.length() || stat.charAt(end + 2) != 'Z';
    } catch (IOException | RuntimeException e) {
      return process.isAlive(); // no /proc (not Linux), or the process is gone
    }
  }
}
