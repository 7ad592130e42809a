package dev.dbtplatform.api.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbtplatform.contract.ObjectKeys;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Deleting a run's objects from a real S3 protocol server, page by page, and nothing else. */
class RunObjectsRemoverTest {
  static TestStore store;
  static RunObjectsRemover remover;

  @BeforeAll
  static void startStore() {
    store = TestStore.start();
    remover = new RunObjectsRemover(store.settings(), 2); // pages of two keys: five objects take three pages
  }

  @AfterAll
  static void stopStore() {
    remover.close();
    store.close();
  }

  @Test
  void deletesEveryObjectOfTheRunAcrossPagesAndNothingOfOtherRuns() {
    String bucket = store.newBucket();
    String run = ObjectKeys.runPrefix("dbt/", "7", "analytics", "nightly", "uid-1");
    String sameNameLaterRun = ObjectKeys.runPrefix("dbt/", "7", "analytics", "nightly", "uid-10");
    String longerName = ObjectKeys.runPrefix("dbt/", "7", "analytics", "nightly-2", "uid-1");
    List<String> runKeys = List.of(ObjectKeys.summary(run), ObjectKeys.stepLog(run, 1), ObjectKeys.stepLog(run, 2),
        ObjectKeys.stepArtifact(run, 2, "manifest.json"), ObjectKeys.stepArtifact(run, 2, "run_results.json"));
    runKeys.forEach(key -> store.put(bucket, key, "x"));
    List<String> otherKeys = List.of(ObjectKeys.stepLog(sameNameLaterRun, 1), ObjectKeys.stepLog(longerName, 1));
    otherKeys.forEach(key -> store.put(bucket, key, "other"));

    assertThat(remover.deleteRun(bucket, run)).isEqualTo(5);

    assertThat(keys(bucket)).containsExactlyInAnyOrderElementsOf(otherKeys);
    assertThat(remover.deleteRun(bucket, run)).as("again: nothing left, no error").isZero();
  }

  @Test
  void refusesAPrefixThatIsNotOneRuns() {
    String bucket = store.newBucket();
    store.put(bucket, "accounts/7/namespaces/a/runs/r/u/run-summary.json", "x");

    for (String prefix : new String[] {"", "accounts/", "/accounts/7/namespaces/a/runs/r/u/",
        "accounts/7/namespaces/a/runs/r/u", null}) {
      assertThatThrownBy(() -> remover.deleteRun(bucket, prefix)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(keys(bucket)).hasSize(1);
  }

  @Test
  void aMissingBucketIsAnObjectStoreError() {
    assertThatThrownBy(() -> remover.deleteRun("no-such-bucket",
        "accounts/7/namespaces/a/runs/r/u/")).isInstanceOf(ObjectStoreException.class)
        .hasMessageContaining("no-such-bucket");
  }

  private static List<String> keys(String bucket) {
    return store.keys(bucket);
  }
}
