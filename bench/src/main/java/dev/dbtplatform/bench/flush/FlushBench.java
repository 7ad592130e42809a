package dev.dbtplatform.bench.flush;

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
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Benchmark 6: the log flusher (FlushMain, as the flush Job runs it) uploading a run volume to
 * the embedded S3 server, next to its limit measured in the same run: a plain AWS SDK upload of
 * the same files to the same server. The S3 server runs in this JVM, so heap figures include its
 * buffers; the limit carries the same share, which is why they stand side by side.
 */
public final class FlushBench {
  private static final String BUCKET = "bench";
  private static final long WARMUP_BYTES = 32L << 20;

  private FlushBench() {}

  /** Flushes and uploads {@code bytes} of logs and artifacts; answers the flush, then the limit. */
  public static List<FlushResult> run(long bytes, PrintStream log) throws Exception {
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

      FlushResult flusher = measure("log flusher (FlushMain)", total, () -> flush(s3, workspace, root, "measured"));
      log.printf("flush: %-40s %s%n", flusher.name(), flusher.figures());
      FlushResult plain = measure("limit: plain AWS SDK putObject", total,
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

  private static FlushResult measure(String name, long bytes, Upload upload) throws Exception {
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
