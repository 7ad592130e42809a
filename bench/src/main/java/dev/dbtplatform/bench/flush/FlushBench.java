package dev.dbtplatform.bench.flush;

import dev.dbtplatform.bench.BenchSection;
import dev.dbtplatform.bench.BenchSettings;
import dev.dbtplatform.bench.Benchmark;
import dev.dbtplatform.contract.FlushConfig;
import dev.dbtplatform.contract.ObjectKeys;
import dev.dbtplatform.contract.RuntimeEnv;
import dev.dbtplatform.embedded.EmbeddedS3;
import dev.dbtplatform.flush.FlushMain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Benchmark 6: the log flusher (FlushMain, as the flush Job runs it) uploading a run volume to
 * the embedded S3 server, next to its limit measured in the same run: a plain AWS SDK upload of
 * the same files to the same server. The S3 server runs in this JVM, so heap figures include its
 * buffers; the limit carries the same share, which is why they stand side by side.
 */
public final class FlushBench implements Benchmark {
  private static final String BUCKET = "bench";
  private static final long WARMUP_BYTES = 32L << 20;

  private static final long MIB = 1L << 20;

  @Override
  public int number() {
    return 6;
  }

  @Override
  public String key() {
    return "flush";
  }

  @Override
  public String title() {
    return "Log flush";
  }

  @Override
  public String target() {
    return "≥ 100 MB/s, heap growth ≤ 64 MiB";
  }

  @Override
  public Map<String, String> options() {
    return Map.of("flush-mib", "1024");
  }

  @Override
  public BenchSection run(BenchSettings settings, PrintStream log) throws Exception {
    List<FlushResult> results = measure(settings.integer("flush-mib") * MIB, log);
    FlushResult flush = results.get(0), plain = results.get(1);
    // heap is judged by what is held after GC: the sampled peak follows the collector, not the code
    boolean fast = flush.megabytesPerSecond() >= 100;
    boolean bounded = flush.peakHeapGrowthAfterGc() <= 64 * MIB;
    String verdict = fast && bounded ? "met" : "missed (" + (fast ? "" : "MB/s") + (fast || bounded ? "" : ", ")
        + (bounded ? "" : "heap") + ")";
    List<BenchSection.Row> rows = List.of(
        new BenchSection.Row(flush.name(), flush.figures(), String.format("%.0f%% of plain SDK upload",
            100 * flush.megabytesPerSecond() / plain.megabytesPerSecond()), target(), verdict),
        BenchSection.Row.limit(plain.name(), plain.figures()));
    Map<String, Double> figures = new LinkedHashMap<>();
    for (var r : Map.of("flusher", flush, "plain", plain).entrySet()) {
      figures.put(r.getKey() + ".bytes", (double) r.getValue().bytes());
      figures.put(r.getKey() + ".megabytesPerSecond", r.getValue().megabytesPerSecond());
    }
    String method = String.format("A flush of %,d MiB. ", settings.integer("flush-mib"))
        + "A run volume laid out as RunVolumeLayout says (4 steps, each a step log and a "
        + "manifest.json of equal size, log-line text, and the run summary) is flushed by FlushMain.run, as the "
        + "flush Job runs it, to the embedded S3 server (s3proxy, filesystem back-end on local disk) in the same "
        + "JVM. The limit is a plain AWS SDK putObject of the same files from disk, one after the other, to the "
        + "same server with the same HTTP client (URL connection). A 32 MiB round of both runs first, unmeasured. "
        + "MB/s is 10^6 bytes per second. Heap growth is over a baseline taken after a GC: \"sampled\" is the peak "
        + "of used heap sampled every 2 ms (it counts garbage not yet collected, so it follows the collector's "
        + "young generation), \"held after GC\" is the peak of heap in use right after any GC during the upload: "
        + "what the code keeps, which is what the target is about. Both include the S3 server's buffers.";
    return new BenchSection(6, "Log flush", rows, method, figures);
  }

  /** Flushes and uploads {@code bytes} of logs and artifacts; answers the flush, then the limit. */
  static List<FlushResult> measure(long bytes, PrintStream log) throws Exception {
    Path root = Files.createTempDirectory("dbt-platform-bench-flush");
    try (EmbeddedS3 s3 = EmbeddedS3.builder().dataDir(root.resolve("s3")).start()) {
      s3.createBucket(BUCKET);
      // a small round of both first, so that neither pays for class loading and JIT alone
      Path warm = root.resolve("warm-up");
      List<Path> warmFiles = RunVolumeWriter.write(warm, Math.min(bytes, WARMUP_BYTES));
      flush(s3, warm, root, "warm-up");
      PlainUpload.upload(s3, BUCKET, "plain/warm-up/", warm, warmFiles);

      Path workspace = root.resolve("workspace");
      List<Path> files = RunVolumeWriter.write(workspace, bytes);
      long total = 0;
      for (Path f : files) {
        total += Files.size(f);
      }
      log.printf("flush: run volume of %,d MiB in %d files%n", total >> 20, files.size());

      FlushResult flusher = time("log flusher (FlushMain)", total, () -> flush(s3, workspace, root, "measured"));
      log.printf("flush: %-40s %s%n", flusher.name(), flusher.figures());
      FlushResult plain = time("limit: plain AWS SDK putObject", total,
          () -> PlainUpload.upload(s3, BUCKET, "plain/measured/", workspace, files));
      log.printf("flush: %-40s %s%n", plain.name(), plain.figures());
      return List.of(flusher, plain);
    } finally {
      deleteTree(root);
    }
  }

  private interface Upload {
    void run() throws Exception;
  }

  private static FlushResult time(String name, long bytes, Upload upload) throws Exception {
    long start;
    long end;
    HeapSampler heap = new HeapSampler();
    try (heap) {
      start = System.nanoTime();
      upload.run();
      end = System.nanoTime();
    }
    return new FlushResult(name, bytes, (end - start) / 1e9, heap.peakGrowth(), heap.peakGrowthAfterGc());
  }

  private static void flush(EmbeddedS3 s3, Path workspace, Path root, String runName) throws IOException {
    String prefix = ObjectKeys.runPrefix("dbt/", "1", "bench", runName, runName + "-uid");
    Map<String, String> env = new HashMap<>();
    env.put(RuntimeEnv.FLUSH_CONFIG, new FlushConfig(s3.endpoint(), s3.region(), BUCKET, true, prefix, 60).toJson());
    env.put(RuntimeEnv.WORKSPACE, workspace.toString());
    env.put(RuntimeEnv.TERMINATION_LOG, root.resolve("termination-log-" + runName).toString());
    env.put("AWS_ACCESS_KEY_ID", s3.accessKey());
    env.put("AWS_SECRET_ACCESS_KEY", s3.secretKey());
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
         PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      int exit = FlushMain.run(env, quiet, errors);
      if (exit != FlushMain.EXIT_OK) {
        throw new IllegalStateException("the flush exited " + exit + ": " + err.toString(StandardCharsets.UTF_8));
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
