package dev.dbtplatform.api.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbtplatform.contract.ObjectKeys;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A store that is down fails an API read within seconds, with a message fit for a 503. */
class RunFilesStoreDownTest {
  TestStore store;
  RunFiles files;
  String bucket;
  final String prefix = ObjectKeys.runPrefix("", "1", "analytics", "hourly", "uid-1");

  @BeforeEach
  void start() {
    store = TestStore.start();
    bucket = store.newBucket();
    store.put(bucket, ObjectKeys.stepLog(prefix, 1), "log");
    store.put(bucket, ObjectKeys.stepArtifact(prefix, 1, "manifest.json"), "{}");
    files = new RunFiles(store.settings());
  }

  @AfterEach
  void stop() {
    files.close();
    store.close();
  }

  @Test
  void everyReadFailsFastAsUnavailable() {
    // reachable first, so that a failure below is the stop and not the setup
    assertThat(files.stepLog(bucket, prefix, 1, 100)).contains("log");
    store.server.stop();

    List<ThrowingCallable> reads = List.of(
        () -> files.stepLog(bucket, prefix, 1, 100),
        () -> files.artifactPaths(bucket, prefix, 1),
        () -> files.stepsWithArtifacts(bucket, prefix),
        () -> files.artifact(bucket, prefix, 1, "manifest.json"));
    for (ThrowingCallable read : reads) {
      long started = System.nanoTime();
      assertThatThrownBy(read)
          .isInstanceOf(ObjectStoreUnavailableException.class)
          .hasMessageContaining(store.server.endpoint())
          .hasMessageContaining("Connection refused")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TestStore.SECRET));
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void readsWorkAgainOnceTheStoreIsBack() {
    store.server.stop();
    assertThatThrownBy(() -> files.stepLog(bucket, prefix, 1, 100)).isInstanceOf(ObjectStoreUnavailableException.class);

    store.server.restart();

    assertThat(files.stepLog(bucket, prefix, 1, 100)).contains("log");
  }
}
