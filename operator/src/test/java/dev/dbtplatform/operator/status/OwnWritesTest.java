package dev.dbtplatform.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A reconcile works from the operator's own last write while the cache shows a version it replaced. */
class OwnWritesTest {
  private final AtomicLong nanos = new AtomicLong();
  private final OwnWrites<ConfigMap> writes = new OwnWrites<>(c -> new ConfigMapBuilder(c).build(), nanos::get);

  @Test
  void aCacheBehindTheOperatorsWritesGivesWayToTheLastOfThem() {
    ConfigMap v1 = version("uid-1", "1", "queued");
    ConfigMap v2 = version("uid-1", "2", "starting");
    ConfigMap v3 = version("uid-1", "3", "running");
    writes.wrote(v1, v2);
    assertThat(writes.freshest(v1).getData()).containsEntry("phase", "starting");
    writes.wrote(v2, v3);

    ConfigMap fromStaleCache = writes.freshest(v1);
    assertThat(fromStaleCache.getData()).containsEntry("phase", "running");
    assertThat(fromStaleCache).isNotSameAs(v3); // the reconcile changes what it gets
    assertThat(writes.freshest(v2).getMetadata().getResourceVersion()).isEqualTo("3");
  }

  @Test
  void onceTheCacheShowsTheWriteOrALaterVersionTheCacheIsUsedAndTheWriteForgotten() {
    ConfigMap v1 = version("uid-2", "1", "queued");
    ConfigMap v2 = version("uid-2", "2", "starting");
    writes.wrote(v1, v2);
    ConfigMap laterBySomeoneElse = version("uid-2", "7", "starting, cancel asked");
    assertThat(writes.freshest(laterBySomeoneElse)).isSameAs(laterBySomeoneElse);
    assertThat(writes.size()).isZero();
    assertThat(writes.freshest(v1)).isSameAs(v1);
  }

  @Test
  void otherResourcesAreNotTouched() {
    writes.wrote(version("uid-3", "1", "a"), version("uid-3", "2", "b"));
    ConfigMap other = version("uid-4", "1", "c");
    assertThat(writes.freshest(other)).isSameAs(other);
    assertThat(writes.size()).isEqualTo(1);
  }

  @Test
  void aWriteNeverSeenAgainIsDroppedLongAfter() {
    writes.wrote(version("gone", "1", "a"), version("gone", "2", "b"));
    nanos.addAndGet(OwnWrites.KEPT_AT_MOST.toNanos() + 1);
    for (int i = 0; i < 1024; i++) {
      writes.wrote(version("busy", Integer.toString(i), "x"), version("busy", Integer.toString(i + 1), "x"));
    }
    assertThat(writes.size()).isEqualTo(1); // only the recent one
  }

  private static ConfigMap version(String uid, String resourceVersion, String phase) {
    return new ConfigMapBuilder().withNewMetadata().withName("run").withNamespace("default").withUid(uid)
        .withResourceVersion(resourceVersion).endMetadata().withData(Map.of("phase", phase)).build();
  }
}
