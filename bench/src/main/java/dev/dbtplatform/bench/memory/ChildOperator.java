package dev.dbtplatform.bench.memory;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link OperatorHeapMain} in a JVM of its own (this JVM's classpath, G1, a heap ceiling far
 * above what is measured), so that the heap measured is the operator's and not that of the
 * API stand-in and the objects that filled it.
 */
final class ChildOperator {
  static final String MAX_HEAP = "-Xmx1g";

  /** What the child printed: heap after GC before and after the operator started, and how long it took. */
  record Heap(long baselineBytes, long heapBytes, long reconciles, double seconds) {
    long operatorBytes() {
      return Math.max(0, heapBytes - baselineBytes);
    }
  }

  private ChildOperator() {}

  /**
   * Starts the child again when its client's HTTP/2 framing broke: the operator's client speaks
   * HTTP/2 as it would to a cluster's API server, which the stand-in serves over cleartext (h2c),
   * and now and then the JDK client misreads a large list answered on an upgraded connection
   * ("exceeds MAX_FRAME_SIZE"). HTTP/1.1 avoids it but would measure other client buffers than a
   * cluster's HTTPS connection brings.
   */
  static Heap measure(String apiUrl, long expectedReconciles, PrintStream log) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return measureOnce(apiUrl, expectedReconciles, log);
      } catch (BrokenFraming e) {
        if (attempt == 3) {
          throw new IllegalStateException(e.getMessage());
        }
        log.println("memory: the client's HTTP/2 framing broke on the stand-in's cleartext upgrade; starting the child again");
      }
    }
  }

  private static final class BrokenFraming extends Exception {
    BrokenFraming(String message) {
      super(message);
    }
  }

  private static Heap measureOnce(String apiUrl, long expectedReconciles, PrintStream log) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(List.of(java, MAX_HEAP, "-XX:+UseG1GC", "-cp",
        System.getProperty("java.class.path"), OperatorHeapMain.class.getName(), apiUrl,
        String.valueOf(expectedReconciles)))
        .redirectErrorStream(true).start();
    Map<String, String> values = new HashMap<>();
    Deque<String> tail = new ArrayDeque<>();
    boolean brokenFraming = false;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        tail.addLast(line);
        brokenFraming |= line.contains("exceeds MAX_FRAME_SIZE");
        if (tail.size() > 40) {
          tail.removeFirst();
        }
        int eq = line.indexOf('=');
        if (eq > 0 && line.substring(0, eq).matches("[a-z]+")) {
          values.put(line.substring(0, eq), line.substring(eq + 1).strip());
        }
      }
    }
    if (!child.waitFor(10, TimeUnit.MINUTES) || child.exitValue() != 0 || !values.containsKey("heap")) {
      child.destroyForcibly();
      if (brokenFraming) {
        throw new BrokenFraming("the operator's JVM failed three times on the stand-in's HTTP/2 framing; its last output:\n"
            + String.join("\n", tail));
      }
      throw new IllegalStateException("the operator's JVM ended without reporting its heap; its last output:\n"
          + String.join("\n", tail));
    }
    Heap heap = new Heap(Long.parseLong(values.get("baseline")), Long.parseLong(values.get("heap")),
        Long.parseLong(values.get("reconciled")), Double.parseDouble(values.get("seconds")));
    log.printf("memory: operator heap after GC %.1f MiB (JVM baseline %.1f MiB), %d reconciles, %.1f s%n",
        heap.heapBytes() / 1048576.0, heap.baselineBytes() / 1048576.0, heap.reconciles(), heap.seconds());
    return heap;
  }
}
