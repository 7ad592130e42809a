package dev.dbtplatform.flush;

import static dev.dbtplatform.flush.S3TestSupport.content;
import static dev.dbtplatform.flush.S3TestSupport.keys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbtplatform.contract.FlushReport;
import dev.dbtplatform.contract.ObjectKeys;
import dev.dbtplatform.flush.S3TestSupport.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** Flushes against a real S3 protocol server (s3proxy, on disk). */
class FlushIntegrationTest extends StoreTest {
  @TempDir Path tmp;
  RunVolume volume;
  Path terminationLog;
  String prefix;

  @BeforeEach
  void setUp() {
    prefix = ObjectKeys.runPrefix("dbt/", "0", "analytics", "nightly-42", "6f1c3a8e-uid");
    volume = new RunVolume(tmp.resolve("workspace"));
    terminationLog = tmp.resolve("pod/dev/termination-log");
  }

  private Map<String, String> env(long retrySeconds) {
    return S3TestSupport.env(store, bucket, prefix, retrySeconds, volume.root, terminationLog);
  }

  /** Relative path on the volume to the key it must land under, per the contract's ObjectKeys. */
  private Map<String, String> expectedKeys() {
    Map<String, String> keys = new LinkedHashMap<>();
    for (int step = 1; step <= 4; step++) {
      keys.put("logs/step-" + step + ".log", ObjectKeys.stepLog(prefix, step));
    }
    keys.put("artifacts/step-3/manifest.json", ObjectKeys.stepArtifact(prefix, 3, "manifest.json"));
    keys.put("artifacts/step-4/manifest.json", ObjectKeys.stepArtifact(prefix, 4, "manifest.json"));
    keys.put("artifacts/step-4/run_results.json", ObjectKeys.stepArtifact(prefix, 4, "run_results.json"));
    keys.put("run-summary.json", ObjectKeys.summary(prefix));
    return keys;
  }

  private long totalSize(Map<String, String> expected) throws IOException {
    long total = 0;
    for (String relative : expected.keySet()) {
      total += Files.size(volume.root.resolve(relative));
    }
    return total;
  }

  private FlushReport report() throws IOException {
    return FlushReport.fromJson(Files.readString(terminationLog, StandardCharsets.UTF_8));
  }

  @Test
  void uploadsLogsArtifactsAndSummaryUnderTheContractKeys() throws IOException {
    volume.writeTypicalRun();
    Map<String, String> expected = expectedKeys();
    FakeClock clock = new FakeClock();

    Run run = S3TestSupport.run(env(60), clock);

    assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
    assertThat(keys(client, bucket)).containsExactlyInAnyOrderElementsOf(expected.values());
    for (var entry : expected.entrySet()) {
      assertThat(content(client, bucket, entry.getValue()))
          .as(entry.getKey())
          .isEqualTo(Files.readString(volume.root.resolve(entry.getKey()), StandardCharsets.UTF_8));
      HeadObjectResponse head = client.headObject(h -> h.bucket(bucket).key(entry.getValue()));
      assertThat(head.metadata()).containsEntry("sha256", FileDigest.sha256(volume.root.resolve(entry.getKey())));
    }
    assertThat(content(client, bucket, ObjectKeys.summary(prefix))).isEqualTo(RunVolume.summary().toJson());

    long bytes = totalSize(expected);
    FlushReport report = report();
    assertThat(report.bucket()).isEqualTo(bucket);
    assertThat(report.runPrefix()).isEqualTo(prefix);
    assertThat(report.objects()).isEqualTo(expected.size());
    assertThat(report.bytes()).isEqualTo(bytes);
    assertThat(report.flushedAt()).isEqualTo(clock.now());
    assertThat(report.summary()).isEqualTo(RunVolume.summary());

    for (var entry : expected.entrySet()) {
      long size = Files.size(volume.root.resolve(entry.getKey()));
      assertThat(run.out()).contains("uploaded  " + entry.getValue() + " (" + size + " bytes)");
    }
    assertThat(run.out()).contains("flushed " + expected.size() + " objects (" + bytes + " bytes) to s3://" + bucket + "/" + prefix);
    assertThat(run.out() + run.err()).doesNotContain(S3TestSupport.SECRET);
    assertThat(clock.sleeps).as(run.out() + run.err()).isEmpty();
  }

  @Test
  void secondRunUploadsNothingNewAndReportsTheSame() throws IOException {
    volume.writeTypicalRun();
    Map<String, String> expected = expectedKeys();

    Run first = S3TestSupport.run(env(60), new FakeClock());
    assertThat(first.exitCode()).as(first.err()).isEqualTo(0);
    FlushReport firstReport = report();
    var firstETags = expected.values().stream().map(k -> client.headObject(h -> h.bucket(bucket).key(k)).eTag()).toList();

    Run second = S3TestSupport.run(env(60), new FakeClock());
    assertThat(second.exitCode()).as(second.err()).isEqualTo(0);
    assertThat(second.out()).doesNotContain("uploaded  ");
    assertThat(second.out()).contains("0 uploaded, " + expected.size() + " already there");
    assertThat(keys(client, bucket)).containsExactlyInAnyOrderElementsOf(expected.values());
    assertThat(expected.values().stream().map(k -> client.headObject(h -> h.bucket(bucket).key(k)).eTag()).toList())
        .isEqualTo(firstETags);
    FlushReport secondReport = report();
    assertThat(secondReport.objects()).isEqualTo(firstReport.objects());
    assertThat(secondReport.bytes()).isEqualTo(firstReport.bytes());
    assertThat(secondReport.summary()).isEqualTo(firstReport.summary());

    // same size, other content: uploaded again, and only that one
    String log = Files.readString(volume.root.resolve("logs/step-2.log"));
    volume.write("logs/step-2.log", log.toUpperCase());
    Run third = S3TestSupport.run(env(60), new FakeClock());
    assertThat(third.exitCode()).as(third.err()).isEqualTo(0);
    assertThat(third.out()).contains("uploaded  " + ObjectKeys.stepLog(prefix, 2));
    assertThat(third.out()).contains("1 uploaded, " + (expected.size() - 1) + " already there");
    assertThat(content(client, bucket, ObjectKeys.stepLog(prefix, 2))).isEqualTo(log.toUpperCase());
  }

  @Test
  void emptyOrMissingWorkspaceUploadsNothingAndSucceeds() throws IOException {
    Files.createDirectories(volume.root);
    Run empty = S3TestSupport.run(env(60), new FakeClock());
    assertThat(empty.exitCode()).as(empty.err()).isEqualTo(0);
    FlushReport report = report();
    assertThat(report.objects()).isZero();
    assertThat(report.bytes()).isZero();
    assertThat(report.summary()).isNull();
    assertThat(report.bucket()).isEqualTo(bucket);

    volume = new RunVolume(tmp.resolve("no-such-volume"));
    Run missing = S3TestSupport.run(env(60), new FakeClock());
    assertThat(missing.exitCode()).as(missing.err()).isEqualTo(0);
    assertThat(report().objects()).isZero();
    assertThat(keys(client, bucket)).isEmpty();
  }

  @Test
  void logsWithoutSummaryReportNoSummary() throws IOException {
    volume.write("logs/step-1.log", "cloning...\nfatal: repository not found\n");
    Run run = S3TestSupport.run(env(60), new FakeClock());
    assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
    assertThat(keys(client, bucket)).containsExactly(ObjectKeys.stepLog(prefix, 1));
    assertThat(report().objects()).isEqualTo(1);
    assertThat(report().summary()).isNull();
  }

  @Test
  void missingBucketFailsAtOnce() throws IOException {
    volume.writeTypicalRun();
    bucket = "no-such-bucket-" + S3TestSupport.newBucketName();
    FakeClock clock = new FakeClock();

    Run run = S3TestSupport.run(env(600), clock);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("bucket \"" + bucket + "\" does not exist at " + store.endpoint()).contains("NoSuchBucket");
    assertThat(clock.sleeps).as(run.out() + run.err()).isEmpty();
    assertThat(Files.readString(terminationLog)).startsWith("log flush failed: bucket");
  }

  @Test
  void refusedCredentialsFailAtOnceWithoutPrintingThem() throws IOException {
    volume.writeTypicalRun();
    Map<String, String> env = env(600);
    env.put("AWS_SECRET_ACCESS_KEY", "wrong-secret-never-printed");
    FakeClock clock = new FakeClock();

    Run run = S3TestSupport.run(env, clock);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("refused the credentials").contains("SignatureDoesNotMatch");
    assertThat(run.out() + run.err() + Files.readString(terminationLog)).doesNotContain("wrong-secret-never-printed");
    assertThat(clock.sleeps).as(run.out() + run.err()).isEmpty();
    assertThat(keys(client, bucket)).isEmpty();
  }

  @Test
  void storeDownAtStartAndBackLaterLosesNothing() throws Exception {
    volume.writeTypicalRun();
    Map<String, String> expected = expectedKeys();
    store.stop();
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      Future<Run> flushing = executor.submit(() -> S3TestSupport.run(env(60), FlushClock.SYSTEM));
      Thread.sleep(2000);
      store.restart();
      Run run = flushing.get(60, TimeUnit.SECONDS);

      assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
      assertThat(run.err()).contains("object store at " + store.endpoint()).contains("Connection refused").contains("retry");
      assertThat(keys(client, bucket)).containsExactlyInAnyOrderElementsOf(expected.values());
      for (var entry : expected.entrySet()) {
        assertThat(content(client, bucket, entry.getValue()))
            .isEqualTo(Files.readString(volume.root.resolve(entry.getKey()), StandardCharsets.UTF_8));
      }
      assertThat(report().objects()).isEqualTo(expected.size());
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void storeGoingDownDuringTheFlushLosesNothing() throws Exception {
    volume.writeTypicalRun();
    Map<String, String> expected = expectedKeys();
    // the store goes away right after the first object is in, and comes back 2 s later
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
      java.util.concurrent.CountDownLatch firstUpload = new java.util.concurrent.CountDownLatch(1);
      java.io.PrintStream watchingOut = new java.io.PrintStream(out, true, StandardCharsets.UTF_8) {
        @Override
        public void println(String line) {
          super.println(line);
          if (line.startsWith("uploaded  ") && firstUpload.getCount() > 0) {
            store.stop();
            firstUpload.countDown();
          }
        }
      };
      Future<Integer> flushing = executor.submit(() -> FlushMain.run(env(60), watchingOut,
          new java.io.PrintStream(err, true, StandardCharsets.UTF_8), FlushClock.SYSTEM, Backoff.DEFAULT));
      assertThat(firstUpload.await(30, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(2000);
      store.restart();
      int exit = flushing.get(60, TimeUnit.SECONDS);
      System.out.println(out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));

      assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(0);
      assertThat(err.toString(StandardCharsets.UTF_8)).contains("retry");
      assertThat(keys(client, bucket)).containsExactlyInAnyOrderElementsOf(expected.values());
      for (var entry : expected.entrySet()) {
        assertThat(content(client, bucket, entry.getValue()))
            .isEqualTo(Files.readString(volume.root.resolve(entry.getKey()), StandardCharsets.UTF_8));
      }
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void storeDownForLongerThanTheRetryBudgetFails() throws IOException {
    volume.writeTypicalRun();
    Files.createDirectories(terminationLog.getParent());
    Files.writeString(terminationLog, "{\"stale\":\"report of an earlier attempt\"}");
    store.stop();
    FakeClock clock = new FakeClock();

    Run run = S3TestSupport.run(env(60), clock);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("object store at " + store.endpoint() + " unreachable for 60 s").contains("Connection refused");
    assertThat(clock.sleeps).isNotEmpty();
    assertThat(clock.totalSlept()).isEqualTo(java.time.Duration.ofSeconds(60));
    String message = Files.readString(terminationLog);
    assertThat(message).startsWith("log flush failed: object store at").doesNotContain("stale");
    assertThatThrownBy(() -> FlushReport.fromJson(message)).isInstanceOf(IllegalArgumentException.class);
    store.restart();
    assertThat(keys(client, bucket)).isEmpty();
  }

  @Test
  void storeGoingDownDuringAMultipartUploadLosesNothing() throws Exception {
    long size = 40L * 1024 * 1024;
    Path large = volume.writeLarge("artifacts/step-4/catalog.json", size, 3);
    String key = ObjectKeys.stepArtifact(prefix, 4, "catalog.json");
    Path bucketDir = storeDir.resolve("s3").resolve(bucket);
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try {
      Future<Run> flushing = executor.submit(() -> S3TestSupport.run(env(60), FlushClock.SYSTEM));
      // the store goes away once a part reaches its disk, and comes back 2 s later
      Future<Boolean> outage = executor.submit(() -> {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && !flushing.isDone()) {
          boolean partStored;
          try (var files = Files.walk(bucketDir)) {
            // s3proxy keeps ".mpus-KEY-UPLOADID-stub" for the upload and ".mpus-KEY-UPLOADID-N" for part N
            partStored = files.filter(Files::isRegularFile)
                .map(p -> bucketDir.relativize(p).toString())
                .anyMatch(name -> name.matches("\\.mpus-.*-[0-9]+"));
          } catch (IOException | java.io.UncheckedIOException e) {
            partStored = false;
          }
          if (partStored) {
            store.stop();
            Thread.sleep(2000);
            store.restart();
            return true;
          }
          Thread.sleep(2);
        }
        return false;
      });
      Run run = flushing.get(90, TimeUnit.SECONDS);
      assertThat(outage.get(30, TimeUnit.SECONDS)).as("the store went down during the upload").isTrue();

      assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
      assertThat(run.err()).contains("upload of part ").contains("retry");
      assertThat(S3TestSupport.sha256(client, bucket, key)).isEqualTo(FileDigest.sha256(large));
      assertThat(client.headObject(h -> h.bucket(bucket).key(key)).contentLength()).isEqualTo(size);
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void largeFileGoesUpInPartsAndRoundTrips() throws IOException {
    volume.write("logs/step-1.log", "done\n");
    long size = 40L * 1024 * 1024 + 12345;
    Path large = volume.writeLarge("artifacts/step-4/catalog.json", size, 42);
    String key = ObjectKeys.stepArtifact(prefix, 4, "catalog.json");

    Run run = S3TestSupport.run(env(60), new FakeClock());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
    HeadObjectResponse head = client.headObject(h -> h.bucket(bucket).key(key));
    assertThat(head.contentLength()).isEqualTo(size);
    assertThat(head.eTag()).as("a multipart upload's ETag").contains("-6");
    assertThat(S3TestSupport.sha256(client, bucket, key)).isEqualTo(FileDigest.sha256(large));
    assertThat(report().bytes()).isEqualTo(size + 5);
    assertThat(client.listMultipartUploads(l -> l.bucket(bucket)).uploads()).isEmpty();

    Run again = S3TestSupport.run(env(60), new FakeClock());
    assertThat(again.exitCode()).as(again.err()).isEqualTo(0);
    assertThat(again.out()).contains("unchanged " + key).contains("0 uploaded, 2 already there");
  }
}
