package dev.dbtplatform.local;

import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Prints each change of phase (and of the log flush) of some runs until all are done. */
final class RunFollower {
  private final KubernetesClient client;
  private final String namespace;
  private final PrintStream out;

  RunFollower(KubernetesClient client, String namespace, PrintStream out) {
    this.client = client;
    this.namespace = namespace;
    this.out = out;
  }

  /** Returns the runs that reached a final phase with their logs flushed, in the order given. */
  Map<String, DbtRun> follow(Collection<String> names, Duration timeout) throws InterruptedException {
    Map<String, String> lastSeen = new HashMap<>();
    Map<String, DbtRun> done = new LinkedHashMap<>();
    Instant start = Instant.now();
    Instant deadline = start.plus(timeout);
    while (done.size() < names.size() && Instant.now().isBefore(deadline)) {
      for (String name : names) {
        if (done.containsKey(name)) {
          continue;
        }
        DbtRun run = client.resources(DbtRun.class).inNamespace(namespace).withName(name).get();
        if (run == null || run.getStatus() == null) {
          continue;
        }
        DbtRunStatus s = run.getStatus();
        boolean flushed = s.logs != null && s.logs.flushedAt != null;
        String view = s.phase + (flushed ? " logs flushed" : "");
        String previous = lastSeen.put(name, view);
        if (!Objects.equals(previous, view)) {
          // the flush changes no phase: say what it did rather than repeat the run's message
          String text = flushed && String.valueOf(s.phase).equals(previous) ? "logs and artifacts saved to object storage"
              : s.message == null ? "" : s.message;
          out.printf("%6.1fs  %-12s %-10s %s%n", Duration.between(start, Instant.now()).toMillis() / 1000.0,
              name, s.phase, text);
        }
        boolean flushedOrNothingToFlush = s.volumeName == null || (s.logs != null && s.logs.flushedAt != null);
        if (s.phase != null && s.phase.isTerminal() && flushedOrNothingToFlush) {
          done.put(name, run);
        }
      }
      Thread.sleep(300);
    }
    return done;
  }
}
