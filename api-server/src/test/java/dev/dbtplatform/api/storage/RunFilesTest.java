package dev.dbtplatform.api.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbtplatform.contract.ObjectKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reads what a flush left, from a real S3 protocol server (s3proxy, in memory). */
class RunFilesTest {
  static TestStore store;
  static RunFiles files;

  String bucket;
  String prefix;

  @BeforeAll
  static void startStore() {
    store = TestStore.start();
    files = new RunFiles(store.settings());
  }

  @AfterAll
  static void stopStore() {
    if (files != null) {
      files.close();
    }
    if (store != null) {
      store.close();
    }
  }

  @BeforeEach
  void newRun() {
    bucket = store.newBucket();
    prefix = ObjectKeys.runPrefix("dbt/", "7", "analytics", "nightly-42", "6f1c3a8e-uid");
  }

  @Test
  void shortLogIsReadWhole() {
    String log = "12:00:01  Running with dbt=1.11.0\n12:00:02  Found 3 models — 2 seeds ✓\n";
    store.put(bucket, ObjectKeys.stepLog(prefix, 1), log);

    assertThat(files.stepLog(bucket, prefix, 1, 1_000_000)).contains(log);
    // exactly at the limit is still whole, without a marker
    assertThat(files.stepLog(bucket, prefix, 1, log.getBytes(StandardCharsets.UTF_8).length)).contains(log);
  }

  @Test
  void emptyLogIsEmptyText() {
    store.put(bucket, ObjectKeys.stepLog(prefix, 1), "");

    assertThat(files.stepLog(bucket, prefix, 1, 100)).contains("");
  }

  @Test
  void missingLogIsEmpty() {
    store.put(bucket, ObjectKeys.stepLog(prefix, 1), "step one\n");

    assertThat(files.stepLog(bucket, prefix, 2, 100)).isEmpty();
    String otherRun = ObjectKeys.runPrefix("dbt/", "7", "analytics", "never-ran", "uid-2");
    assertThat(files.stepLog(bucket, otherRun, 1, 100)).isEmpty();
  }

  @Test
  void longLogShowsItsLastLinesThatFit() {
    StringBuilder log = new StringBuilder();
    for (int line = 1; line <= 500; line++) {
      log.append("12:00:").append(line).append("  model ").append(line).append(" OK\n");
    }
    byte[] bytes = log.toString().getBytes(StandardCharsets.UTF_8);
    store.put(bucket, ObjectKeys.stepLog(prefix, 3), bytes);

    String shown = files.stepLog(bucket, prefix, 3, 1000).orElseThrow();

    String marker = shown.substring(0, shown.indexOf('\n') + 1);
    String tail = shown.substring(marker.length());
    long earlier = Long.parseLong(marker.replaceAll("\\D", ""));
    assertThat(marker).isEqualTo("[... " + earlier + " earlier bytes not shown ...]\n");
    assertThat(tail.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1000).isGreaterThan(950);
    assertThat(earlier + tail.getBytes(StandardCharsets.UTF_8).length).isEqualTo(bytes.length);
    assertThat(tail).startsWith("12:00:").endsWith("model 500 OK\n");
    assertThat(log.toString()).endsWith("\n" + tail);
  }

  @Test
  void tailThatStartsRightAfterALineBreakKeepsItsFirstLine() {
    store.put(bucket, ObjectKeys.stepLog(prefix, 1), "first line\nsecond\n");

    assertThat(files.stepLog(bucket, prefix, 1, 7)).contains("[... 11 earlier bytes not shown ...]\nsecond\n");
  }

  @Test
  void oneLongLineIsCutAtACharacterStart() {
    // é is 2 bytes; 2 + 49 shown bytes would start in the middle of one
    String line = "é".repeat(100);
    store.put(bucket, ObjectKeys.stepLog(prefix, 1), line);

    assertThat(files.stepLog(bucket, prefix, 1, 51)).contains("[... 150 earlier bytes not shown ...]\n" + "é".repeat(25));
  }

  @Test
  void multiByteCharactersAtTheCutNeverBreak() {
    // 1, 2, 3 and 4 byte characters, without line breaks, cut at every possible offset
    String text = "a€é😀".repeat(5);
    int size = text.getBytes(StandardCharsets.UTF_8).length;
    store.put(bucket, ObjectKeys.stepLog(prefix, 1), text);

    for (int maxBytes = 1; maxBytes < size; maxBytes++) {
      String shown = files.stepLog(bucket, prefix, 1, maxBytes).orElseThrow();
      String tail = shown.substring(shown.indexOf('\n') + 1);
      assertThat(tail).as("tail of %d bytes", maxBytes).doesNotContain("\uFFFD");
      assertThat(text).endsWith(tail);
      assertThat(tail.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(maxBytes).isGreaterThan(maxBytes - 4);
      assertThat(shown).startsWith("[... " + (size - tail.getBytes(StandardCharsets.UTF_8).length) + " earlier bytes");
    }
  }

  @Test
  void trailingLineBreakAloneDoesNotEmptyTheTail() {
    store.put(bucket, ObjectKeys.stepLog(prefix, 1), "x".repeat(30) + "\n");

    assertThat(files.stepLog(bucket, prefix, 1, 5)).contains("[... 26 earlier bytes not shown ...]\nxxxx\n");
  }

  @Test
  void artifactPathsAreThoseOfTheStepSorted() {
    store.put(bucket, ObjectKeys.stepLog(prefix, 2), "log");
    store.put(bucket, ObjectKeys.stepArtifact(prefix, 2, "run_results.json"), "{}");
    store.put(bucket, ObjectKeys.stepArtifact(prefix, 2, "manifest.json"), "{}");
    store.put(bucket, ObjectKeys.stepArtifact(prefix, 2, "compiled/models/orders.sql"), "select 1");
    store.put(bucket, ObjectKeys.stepArtifact(prefix, 20, "catalog.json"), "{}");
    store.put(bucket, ObjectKeys.summary(prefix), "{}");

    assertThat(files.artifactPaths(bucket, prefix, 2))
        .containsExactly("compiled/models/orders.sql", "manifest.json", "run_results.json");
    assertThat(files.artifactPaths(bucket, prefix, 20)).containsExactly("catalog.json");
    assertThat(files.artifactPaths(bucket, prefix, 3)).isEmpty();
  }

  @Test
  void stepsWithArtifactsAreInNumericOrder() {
    store.put(bucket, ObjectKeys.stepLog(prefix, 1), "deps: no artifacts");
    store.put(bucket, ObjectKeys.stepLog(prefix, 2), "log");
    store.put(bucket, ObjectKeys.stepArtifact(prefix, 2, "manifest.json"), "{}");
    store.put(bucket, ObjectKeys.stepArtifact(prefix, 10, "run_results.json"), "{}");
    store.put(bucket, ObjectKeys.stepArtifact(prefix, 9, "target/manifest.json"), "{}");
    store.put(bucket, ObjectKeys.summary(prefix), "{}");
    // another run of the same name (a different uid): not this one's
    store.put(bucket, ObjectKeys.stepArtifact(ObjectKeys.runPrefix("dbt/", "7", "analytics", "nightly-42", "other-uid"), 4,
        "manifest.json"), "{}");

    assertThat(files.stepsWithArtifacts(bucket, prefix)).containsExactly(2, 9, 10);
  }

  @Test
  void runWithoutArtifactsHasNoSteps() {
    assertThat(files.stepsWithArtifacts(bucket, prefix)).isEmpty();
    assertThat(files.artifactPaths(bucket, prefix, 1)).isEmpty();
  }

  @Test
  void listingsFollowEveryPage() {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      String path = "file-" + (char) ('a' + i) + ".json";
      expected.add(path);
      store.put(bucket, ObjectKeys.stepArtifact(prefix, 1, path), "{}");
    }
    for (int step = 2; step <= 12; step++) {
      store.put(bucket, ObjectKeys.stepArtifact(prefix, step, "manifest.json"), "{}");
    }

    try (RunFiles paged = new RunFiles(store.settings(), 4)) {
      assertThat(paged.artifactPaths(bucket, prefix, 1)).containsExactlyElementsOf(expected);
      assertThat(paged.stepsWithArtifacts(bucket, prefix)).containsExactlyElementsOf(IntStream.rangeClosed(1, 12).boxed().toList());
    }
  }

  @Test
  void moreThanOneFullPageOfArtifacts() {
    List<String> expected = IntStream.range(0, RunFiles.MAX_LIST_PAGE_SIZE + 5)
        .mapToObj(i -> String.format("models/m%04d.sql", i)).toList();
    expected.parallelStream().forEach(path -> store.put(bucket, ObjectKeys.stepArtifact(prefix, 4, path), "select 1"));

    assertThat(files.artifactPaths(bucket, prefix, 4)).containsExactlyElementsOf(expected);
    assertThat(files.stepsWithArtifacts(bucket, prefix)).containsExactly(4);
  }

  @Test
  void artifactStreamsWithLengthAndType() throws IOException {
    String manifest = "{\"metadata\": {\"dbt_version\": \"1.11.0\", \"note\": \"ünïcode\"}}";
    store.put(bucket, ObjectKeys.stepArtifact(prefix, 2, "manifest.json"), manifest);
    store.put(bucket, ObjectKeys.stepArtifact(prefix, 2, "compiled/orders.sql"), "select 1");
    store.put(bucket, ObjectKeys.stepArtifact(prefix, 2, "graph.gpickle"), new byte[] {1, 2, 3});

    try (ArtifactStream json = files.artifact(bucket, prefix, 2, "manifest.json").orElseThrow()) {
      assertThat(json.contentType()).isEqualTo("application/json");
      assertThat(json.contentLength()).isEqualTo(manifest.getBytes(StandardCharsets.UTF_8).length);
      assertThat(new String(json.content().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(manifest);
    }
    try (ArtifactStream sql = files.artifact(bucket, prefix, 2, "compiled/orders.sql").orElseThrow()) {
      assertThat(sql.contentType()).isEqualTo("text/plain; charset=utf-8");
      assertThat(sql.content().readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("select 1");
    }
    try (ArtifactStream binary = files.artifact(bucket, prefix, 2, "graph.gpickle").orElseThrow()) {
      assertThat(binary.contentType()).isEqualTo("application/octet-stream");
      assertThat(binary.contentLength()).isEqualTo(3);
      assertThat(binary.content().readAllBytes()).containsExactly(1, 2, 3);
    }
  }

  @Test
  void missingArtifactIsEmpty() {
    store.put(bucket, ObjectKeys.stepArtifact(prefix, 2, "manifest.json"), "{}");

    assertThat(files.artifact(bucket, prefix, 2, "catalog.json")).isEmpty();
    assertThat(files.artifact(bucket, prefix, 3, "manifest.json")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/etc/passwd", "../../other/manifest.json", "compiled/../../x.json", "..", "a/./b.json",
      "a//b.json", "compiled\\orders.sql", "trailing/", "new\nline.json"})
  void unsafeArtifactPathsAreRefused(String path) {
    assertThatThrownBy(() -> files.artifact(bucket, prefix, 1, path))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("artifact path");
  }

  @Test
  void nullArtifactPathIsRefused() {
    assertThatThrownBy(() -> files.artifact(bucket, prefix, 1, null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void listingShowsOnlyPathsThatCanBeOpened() {
    store.put(bucket, ObjectKeys.stepArtifact(prefix, 1, "manifest.json"), "{}");
    // a key artifact() would refuse (stores keep backslashes; they are no separator in S3)
    store.put(bucket, ObjectKeys.stepArtifact(prefix, 1, "odd\\name.json"), "{}");
    store.put(bucket, ObjectKeys.stepArtifact(prefix, 2, "odd\\name.json"), "{}");

    assertThat(files.artifactPaths(bucket, prefix, 1)).containsExactly("manifest.json");
    assertThat(files.stepsWithArtifacts(bucket, prefix)).containsExactly(1);
  }

  @Test
  void badRunCoordinatesAreRefused() {
    assertThatThrownBy(() -> files.stepLog(bucket, prefix, 0, 100)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("from 1");
    assertThatThrownBy(() -> files.stepLog(bucket, prefix, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> files.artifactPaths(bucket, "no-trailing-slash", 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> files.stepsWithArtifacts(" ", prefix)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void missingBucketIsAnErrorNotAnEmptyRun() {
    assertThatThrownBy(() -> files.stepLog("no-such-bucket", prefix, 1, 100))
        .isInstanceOf(ObjectStoreException.class)
        .isNotInstanceOf(ObjectStoreUnavailableException.class)
        .hasMessageContaining(store.server.endpoint())
        .hasMessageContaining("NoSuchBucket");
    assertThatThrownBy(() -> files.stepsWithArtifacts("no-such-bucket", prefix))
        .isInstanceOf(ObjectStoreException.class)
        .isNotInstanceOf(ObjectStoreUnavailableException.class);
  }

  @Test
  void refusedCredentialsAreNamedWithoutTheSecret() {
    store.put(bucket, ObjectKeys.stepLog(prefix, 1), "log");
    ObjectStoreSettings wrong = new ObjectStoreSettings(store.server.endpointUri(), store.server.region(),
        TestStore.ACCESS, "a-wrong-secret-key", true);

    try (RunFiles refused = new RunFiles(wrong)) {
      assertThatThrownBy(() -> refused.stepLog(bucket, prefix, 1, 100))
          .isInstanceOf(ObjectStoreException.class)
          .isNotInstanceOf(ObjectStoreUnavailableException.class)
          .hasMessageContaining("HTTP 403")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("a-wrong-secret-key"));
    }
  }
}
