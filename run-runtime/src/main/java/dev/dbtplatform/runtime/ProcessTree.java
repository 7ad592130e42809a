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
public final class ProcessTree {
  private ProcessTree() {}

  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
  /** How long dbt gets to cancel its warehouse queries after SIGINT. */
  static final Duration INTERRUPT_GRACE = Duration.ofSeconds(5);
  private static final long POLL_MILLIS = 50;

  /**
   * Stops the process and its descendants: first SIGINT to the process, which dbt handles like
   * Ctrl-C by cancelling the queries it has open in the warehouse (SIGTERM alone would leave them
   * running there); then SIGTERM to the whole tree and up to {@code grace} to exit; then SIGKILL
   * for whatever is left. With a zero grace it goes straight to SIGTERM and SIGKILL.
   *
   * @return true when everything exited within the grace period
   */
  public static boolean stop(ProcessHandle root, Duration grace) {
    // The descendants must be collected before the root dies: orphans are re-parented and
    // can no longer be found from the root.
    Set<ProcessHandle> tree = new LinkedHashSet<>(root.descendants().toList());
    tree.add(root);
    if (!grace.isZero() && interrupt(root)) {
      awaitExit(Set.of(root), INTERRUPT_GRACE);
    }
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

  /** Sends SIGINT, which the JDK cannot send itself, with the system's kill command. */
  private static boolean interrupt(ProcessHandle process) {
    try {
      Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid()))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return kill.waitFor(2, java.util.concurrent.TimeUnit.SECONDS) && kill.exitValue() == 0;
    } catch (IOException e) {
      return false; // no kill command: SIGTERM follows
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
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
  public static boolean isRunning(ProcessHandle process) {
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
