package dev.dbtplatform.local.node;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running container: a local process, its output appended to a log file, and its process tree.
 *
 * <p>Like a container runtime, it treats the whole process tree as the container: descendants are
 * recorded every second and when asked to stop, and once the main process has exited the recorded
 * descendants still alive are killed (as a runtime kills a container's processes when PID 1 exits).
 * Stopping is SIGTERM to the main process ({@link Process#destroy()}) and, after the grace period,
 * SIGKILL to the main process and every descendant ({@link ProcessHandle#destroyForcibly()}).
 */
final class PodProcess {
  private static final Logger LOG = LoggerFactory.getLogger(PodProcess.class);
  private static final Logger OUTPUT = LoggerFactory.getLogger("dev.dbtplatform.local.node.PodOutput");
  /** How long an exit waits for the log to be written when orphans still hold the output pipe open. */
  private static final Duration LOG_DRAIN = Duration.ofSeconds(2);

  private final Process process;
  private final String label;
  private final Instant startedAt;
  private final Path logFile;
  private final long logOffset;
  private final Set<ProcessHandle> tree = ConcurrentHashMap.newKeySet();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private final CompletableFuture<Integer> exit;
  private final ScheduledFuture<?> snapshots;
  private volatile ScheduledFuture<?> forcedKill;

  private PodProcess(Process process, String label, Path logFile, long logOffset, boolean echo,
      ScheduledExecutorService scheduler) {
    this.process = process;
    this.label = label;
    this.startedAt = Instant.now();
    this.logFile = logFile;
    this.logOffset = logOffset;
    Thread pump = new Thread(() -> pump(echo), "pod-output-" + label);
    pump.setDaemon(true);
    pump.start();
    this.snapshots = scheduler.scheduleWithFixedDelay(this::snapshot, 1, 1, TimeUnit.SECONDS);
    this.exit = process.onExit()
        .thenCompose(p -> {
          snapshots.cancel(false);
          ScheduledFuture<?> kill = forcedKill;
          if (kill != null) {
            kill.cancel(false);
          }
          killOrphans();
          return drained.completeOnTimeout(null, LOG_DRAIN.toMillis(), TimeUnit.MILLISECONDS);
        })
        .thenApply(ignored -> process.exitValue());
  }

  /** Starts the process; its stdout and stderr go to {@code logFile}, appended. */
  static PodProcess start(ProcessBuilder builder, String label, Path logFile, boolean echo,
      ScheduledExecutorService scheduler) throws IOException {
    Files.createDirectories(logFile.getParent());
    long offset = Files.exists(logFile) ? Files.size(logFile) : 0;
    builder.redirectErrorStream(true);
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process = builder.start();
    return new PodProcess(process, label, logFile, offset, echo, scheduler);
  }

  long pid() {
    return process.pid();
  }

  Instant startedAt() {
    return startedAt;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code, once the process has exited and its output has been written. */
  CompletableFuture<Integer> exit() {
    return exit;
  }

  /** SIGTERM now; SIGKILL to the whole tree after {@code grace} unless it is gone by then. */
  void terminate(Duration grace, ScheduledExecutorService scheduler) {
    snapshot();
    if (process.isAlive()) {
      LOG.debug("{}: SIGTERM to {}", label, process.pid());
      process.destroy();
    }
    if (forcedKill == null) {
      forcedKill = scheduler.schedule(this::killTree, Math.max(0, grace.toMillis()), TimeUnit.MILLISECONDS);
    }
  }

  /** SIGKILL to the process and every descendant. */
  void killTree() {
    snapshot();
    if (process.isAlive()) {
      LOG.debug("{}: SIGKILL to {} and its descendants", label, process.pid());
    }
    process.destroyForcibly();
    killOrphans();
  }

  /** What the container wrote last, for terminationMessagePolicy FallbackToLogsOnError: 80 lines, 2048 bytes. */
  String logTail() {
    try {
      if (!Files.exists(logFile)) {
        return "";
      }
      byte[] all = Files.readAllBytes(logFile);
      int from = (int) Math.min(Math.max(logOffset, all.length - 2048L), all.length);
      String text = new String(all, from, all.length - from, StandardCharsets.UTF_8);
      String[] lines = text.split("\n", -1);
      int start = Math.max(0, lines.length - 81);
      return String.join("\n", List.of(lines).subList(start, lines.length));
    } catch (IOException e) {
      return "";
    }
  }

  private void snapshot() {
    try {
      if (process.isAlive()) {
        process.descendants().forEach(tree::add);
      }
      tree.removeIf(h -> !h.isAlive());
    } catch (RuntimeException e) {
      // a process vanished while listing: fine
    }
  }

  private void killOrphans() {
    List<ProcessHandle> alive = new ArrayList<>();
    for (ProcessHandle h : tree) {
      if (h.isAlive()) {
        alive.add(h);
        // children of an orphan reparent when it dies: collect them first
        try {
          h.descendants().forEach(alive::add);
        } catch (RuntimeException e) {
          // gone
        }
      }
    }
    for (ProcessHandle h : alive) {
      h.destroyForcibly();
    }
    tree.clear();
  }

  private void pump(boolean echo) {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    try (InputStream in = process.getInputStream();
         OutputStream out = Files.newOutputStream(logFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        out.flush();
        if (echo) {
          for (int i = 0; i < n; i++) {
            if (buf[i] == '\n') {
              OUTPUT.info("[{}] {}", label, line.toString(StandardCharsets.UTF_8));
              line.reset();
            } else {
              line.write(buf[i]);
            }
          }
        }
      }
    } catch (IOException e) {
      LOG.debug("{}: output pump stopped: {}", label, e.toString());
    } finally {
      if (echo && line.size() > 0) {
        OUTPUT.info("[{}] {}", label, line.toString(StandardCharsets.UTF_8));
      }
      drained.complete(null);
    }
  }
}
