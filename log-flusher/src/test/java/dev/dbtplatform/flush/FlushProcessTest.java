package dev.dbtplatform.flush;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbtplatform.contract.FlushReport;
import dev.dbtplatform.contract.ObjectKeys;
import dev.dbtplatform.contract.RuntimeEnv;
import dev.dbtplatform.embedded.EmbeddedS3;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * FlushMain as the Job runs it: its own JVM, configured by real environment variables, with a
 * heap smaller than the file it uploads (so it cannot be holding the file in memory).
 */
class FlushProcessTest {
  static final String HEAP = "-Xmx32m";
  @TempDir Path tmp;

  record Result(int exitCode, String output) {}

  Result runFlushMain(Map<String, String> env) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder = new ProcessBuilder(java.toString(), HEAP, "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), FlushMain.class.getName());
    builder.environment().keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("DBT_PLATFORM_"));
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    Path output = tmp.resolve("output.txt");
    builder.redirectOutput(output.toFile());
    Process process = builder.start();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("FlushMain did not finish: " + Files.readString(output));
    }
    String text = Files.readString(output, StandardCharsets.UTF_8);
    System.out.println("--- FlushMain exit " + process.exitValue() + "\n" + text);
    return new Result(process.exitValue(), text);
  }

  @Test
  void uploadsAFileLargerThanItsHeapAndExitsZero() throws Exception {
    RunVolume volume = new RunVolume(tmp.resolve("workspace"));
    volume.write("logs/step-1.log", "hello\n");
    volume.write("run-summary.json", RunVolume.summary().toJson());
    long size = 48L * 1024 * 1024 + 1;
    Path large = volume.writeLarge("artifacts/step-4/catalog.json", size, 7);
    Path terminationLog = tmp.resolve("dev/termination-log");
    String prefix = ObjectKeys.runPrefix("", "0", "ns", "big", "uid");

    try (EmbeddedS3 store = EmbeddedS3.start(tmp.resolve("s3"), 0, S3TestSupport.ACCESS, S3TestSupport.SECRET);
        S3Client client = S3TestSupport.client(store)) {
      String bucket = S3TestSupport.newBucketName();
      store.createBucket(bucket);

      Result result = runFlushMain(S3TestSupport.env(store, bucket, prefix, 30, volume.root, terminationLog));

      assertThat(result.exitCode()).as(result.output()).isEqualTo(0);
      assertThat(result.output()).doesNotContain(S3TestSupport.SECRET).doesNotContain("OutOfMemoryError");
      String key = ObjectKeys.stepArtifact(prefix, 4, "catalog.json");
      assertThat(S3TestSupport.keys(client, bucket))
          .containsExactlyInAnyOrder(ObjectKeys.stepLog(prefix, 1), key, ObjectKeys.summary(prefix));
      assertThat(S3TestSupport.sha256(client, bucket, key)).isEqualTo(FileDigest.sha256(large));
      FlushReport report = FlushReport.fromJson(Files.readString(terminationLog));
      assertThat(report.objects()).isEqualTo(3);
      assertThat(report.bytes()).isEqualTo(Files.size(large) + 6 + Files.size(volume.root.resolve("run-summary.json")));
      assertThat(report.summary()).isEqualTo(RunVolume.summary());
    }
  }

  @Test
  void exitCodeTwoWithoutConfiguration() throws Exception {
    Path terminationLog = tmp.resolve("termination-log");
    Result result = runFlushMain(Map.of(RuntimeEnv.TERMINATION_LOG, terminationLog.toString()));
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.output()).contains("DBT_PLATFORM_FLUSH_CONFIG is not set");
    assertThat(Files.readString(terminationLog)).contains("DBT_PLATFORM_FLUSH_CONFIG is not set");
  }

  @Test
  void exitCodeOneWhenTheStoreNeverAnswers() throws Exception {
    RunVolume volume = new RunVolume(tmp.resolve("workspace"));
    volume.write("logs/step-1.log", "hello\n");
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String config = new dev.dbtplatform.contract.FlushConfig("http://127.0.0.1:" + port, "us-east-1", "logs", true,
        "runs/x/", 0).toJson();
    Path terminationLog = tmp.resolve("termination-log");
    Result result = runFlushMain(Map.of(
        RuntimeEnv.FLUSH_CONFIG, config,
        RuntimeEnv.WORKSPACE, volume.root.toString(),
        RuntimeEnv.TERMINATION_LOG, terminationLog.toString(),
        "AWS_ACCESS_KEY_ID", "a",
        "AWS_SECRET_ACCESS_KEY", "never-printed"));
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.output()).contains("object store at http://127.0.0.1:" + port + " unreachable for 0 s: Connection refused")
        .doesNotContain("never-printed");
    assertThat(List.of(Files.readString(terminationLog))).noneMatch(text -> text.startsWith("{"));
  }
}
