package dev.dbtplatform.flush;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbtplatform.contract.FlushConfig;
import dev.dbtplatform.contract.ObjectKeys;
import dev.dbtplatform.contract.RunVolumeLayout;
import dev.dbtplatform.contract.RuntimeEnv;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/** The state fetch of a deferring run's pod, against a real S3 protocol server. */
class StateFetchTest extends StoreTest {
  @TempDir Path tmp;
  Path workspace;
  String prefix;
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() {
    prefix = ObjectKeys.runPrefix("", "1", "analytics", "nightly-202611240200", "uid-1");
    workspace = tmp.resolve("workspace");
  }

  private void put(String key, String content) {
    client.putObject(put -> put.bucket(bucket).key(key), RequestBody.fromString(content));
  }

  private int fetch(FakeClock clock) {
    Map<String, String> env = new HashMap<>();
    env.put(RuntimeEnv.STATE_FETCH_CONFIG, new FlushConfig(store.endpoint(), store.region(), bucket, true, prefix, 60).toJson());
    env.put(RuntimeEnv.WORKSPACE, workspace.toString());
    env.put(RuntimeEnv.TERMINATION_LOG, tmp.resolve("termination-log").toString());
    env.put("AWS_ACCESS_KEY_ID", store.accessKey());
    env.put("AWS_SECRET_ACCESS_KEY", store.secretKey());
    return StateFetchMain.run(env, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), clock, Backoff.DEFAULT);
  }

  private String note() throws Exception {
    return Files.readString(RunVolumeLayout.deferredStateNote(workspace)).strip();
  }

  @Test
  void fetchesTheManifestOfTheRunsLastStepThatWroteOne() throws Exception {
    put(ObjectKeys.stepArtifact(prefix, 4, "manifest.json"), "{\"step\": 4}");
    put(ObjectKeys.stepArtifact(prefix, 12, "manifest.json"), "{\"step\": 12}");
    put(ObjectKeys.stepArtifact(prefix, 12, "run_results.json"), "{}");
    put(ObjectKeys.stepLog(prefix, 13), "a later step without a manifest");
    // another run whose prefix starts like this one's must not count
    put(ObjectKeys.runPrefix("", "1", "analytics", "nightly-202611240200", "uid-10") + "steps/20/artifacts/manifest.json", "{}");

    assertThat(fetch(new FakeClock())).isZero();

    assertThat(RunVolumeLayout.deferredManifest(workspace)).hasContent("{\"step\": 12}");
    assertThat(note()).isEqualTo("fetched manifest.json of s3://" + bucket + "/"
        + ObjectKeys.stepArtifact(prefix, 12, "manifest.json") + " (12 bytes)");
    assertThat(RunVolumeLayout.deferredStateDir(workspace).resolve("manifest.json.partial")).doesNotExist();
  }

  @Test
  void aRunWithoutManifestLeavesANoteAndExitsZero() throws Exception {
    put(ObjectKeys.stepLog(prefix, 1), "clone");

    assertThat(fetch(new FakeClock())).isZero();

    assertThat(RunVolumeLayout.deferredManifest(workspace)).doesNotExist();
    assertThat(note()).startsWith("no manifest.json under s3://" + bucket + "/" + prefix);
  }

  @Test
  void aStoreThatStaysDownDoesNotHoldTheRunBack() throws Exception {
    store.stop();
    FakeClock clock = new FakeClock();

    assertThat(fetch(clock)).isZero();

    assertThat(clock.totalSlept()).isEqualTo(java.time.Duration.ofSeconds(60));
    assertThat(RunVolumeLayout.deferredManifest(workspace)).doesNotExist();
    assertThat(note()).contains("unreachable for 60 s");
  }

  @Test
  void anInvalidConfigurationIsANoteToo() throws Exception {
    Map<String, String> env = Map.of(RuntimeEnv.WORKSPACE, workspace.toString());
    assertThat(StateFetchMain.run(env, System.out, new PrintStream(err, true, StandardCharsets.UTF_8),
        new FakeClock(), Backoff.DEFAULT)).isZero();
    assertThat(note()).isEqualTo("invalid state fetch configuration: " + RuntimeEnv.STATE_FETCH_CONFIG
        + " is not set: it must hold the object store location as JSON");
  }
}
