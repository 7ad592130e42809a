package dev.dbtplatform.api.retention;

import static dev.dbtplatform.api.db.generated.Tables.RUNS;
import static dev.dbtplatform.api.db.generated.Tables.RUN_STATUS_CHANGES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dbtplatform.api.ApiConfig;
import dev.dbtplatform.api.ApiTestHarness;
import dev.dbtplatform.api.ApiTestHarness.Tenant;
import dev.dbtplatform.api.runs.RunStatus;
import dev.dbtplatform.api.storage.RunObjectsRemover;
import dev.dbtplatform.api.storage.TestStore;
import dev.dbtplatform.contract.ObjectKeys;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunSpec;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retention against embedded PostgreSQL, the S3 test server and the Kubernetes API stand-in: what
 * is removed is exactly the old, complete, saved runs that left the cluster, with their objects.
 * The clock stands at {@link #NOW}, so rows the other test classes write (finished around the real
 * now, years later) are never old enough to be touched.
 */
class RunRetentionTest {
  static final ApiTestHarness api = ApiTestHarness.shared();
  static final Instant NOW = Instant.parse("2020-06-01T00:00:00Z");
  static final Duration RETENTION = Duration.ofDays(30);
  static RunObjectsRemover objects;

  Tenant t;
  String bucket;
  RunRetention retention;

  @BeforeAll
  static void openStore() {
    objects = new RunObjectsRemover(api.objectStore().settings());
  }

  @AfterAll
  static void closeStore() {
    objects.close();
  }

  @BeforeEach
  void newAccount() {
    t = api.newAccount("Retention");
    bucket = api.objectStore().newBucket();
    retention = new RunRetention(api.db(), api.kubernetes(), objects,
        new RetentionSettings(RETENTION, Duration.ofHours(1)), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void anOldCompleteSavedRunIsRemovedWithItsObjectsAndNothingElse() {
    Row old = saved("old", daysAgo(31));
    List<String> oldKeys = putObjects(old);
    Row recent = saved("recent", daysAgo(29));
    List<String> recentKeys = putObjects(recent);
    addStatusChange(old);

    RunRetention.Pass pass = retention.prune();

    assertThat(pass.ran()).isTrue();
    assertThat(exists(old)).isFalse();
    assertThat(statusChanges(old)).as("cascaded").isZero();
    assertThat(keys()).doesNotContainAnyElementsOf(oldKeys).containsExactlyInAnyOrderElementsOf(recentKeys);
    assertThat(exists(recent)).isTrue();
  }

  @Test
  void runsThatAreNotCompleteOrNotSavedAreKeptHoweverOld() {
    Row running = insert("running", RunStatus.RUNNING, null, prefixOf("running", "u1"), false, false);
    Row flushPending = insert("flush-pending", RunStatus.ERROR, daysAgo(400), prefixOf("flush-pending", "u2"), false, false);
    List<String> pendingKeys = putObjects(flushPending);
    Row logsOnVolume = insert("logs-on-volume", RunStatus.CANCELLED, daysAgo(400), null, false, true);

    retention.prune();

    assertThat(exists(running)).isTrue();
    assertThat(exists(flushPending)).isTrue();
    assertThat(keys()).containsExactlyInAnyOrderElementsOf(pendingKeys);
    assertThat(exists(logsOnVolume)).isTrue();
  }

  @Test
  void anOldRunThatNeverHadLogsIsRemoved() {
    Row invalid = insert("invalid", RunStatus.ERROR, daysAgo(90), null, false, false);

    retention.prune();

    assertThat(exists(invalid)).isFalse();
  }

  @Test
  void aRunStillInTheClusterIsKeptButALaterRunOfTheSameNameDoesNotKeepAnEarlierOne() {
    DbtRun inCluster = api.kubernetes().resource(new DbtRun(t.namespace(), "in-cluster", spec())).create();
    Row kept = saved("in-cluster", daysAgo(60), inCluster.getMetadata().getUid());
    List<String> keptKeys = putObjects(kept);
    Row earlier = saved("in-cluster", daysAgo(90), "earlier-" + UUID.randomUUID());
    putObjects(earlier);

    retention.prune();

    assertThat(exists(kept)).isTrue();
    assertThat(exists(earlier)).isFalse();
    assertThat(keys()).containsExactlyInAnyOrderElementsOf(keptKeys);
  }

  @Test
  void aRunWhoseStoredPrefixIsNotItsOwnIsKeptWithTheObjectsThere() {
    String foreign = ObjectKeys.runPrefix("", String.valueOf(t.id()), t.namespace(), "someone-else", "u9");
    Row odd = insert("odd", RunStatus.SUCCESS, daysAgo(90), foreign, true, false);
    store().put(bucket, ObjectKeys.summary(foreign), "{}");

    retention.prune();

    assertThat(exists(odd)).isTrue();
    assertThat(keys()).containsExactly(ObjectKeys.summary(foreign));
  }

  @Test
  void aPassIsSkippedWhileAnotherReplicaHoldsTheLock() throws Exception {
    Row old = saved("locked-out", daysAgo(31));
    try (Connection other = api.db().dataSource().getConnection()) {
      DSL.using(other).select(DSL.field("pg_advisory_lock({0})", Object.class, RunRetention.LOCK_KEY)).fetch();
      try {
        assertThat(retention.prune().ran()).isFalse();
        assertThat(exists(old)).isTrue();
      } finally {
        DSL.using(other).select(DSL.field("pg_advisory_unlock({0})", Boolean.class, RunRetention.LOCK_KEY)).fetch();
      }
    }
    assertThat(retention.prune().ran()).isTrue();
    assertThat(exists(old)).isFalse();
  }

  @Test
  void aStartedJobPrunesEveryInterval() {
    Row old = saved("scheduled", daysAgo(31));
    try (RunRetention started = new RunRetention(api.db(), api.kubernetes(), objects,
        new RetentionSettings(RETENTION, Duration.ofMillis(100)), Clock.fixed(NOW, ZoneOffset.UTC)).start()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> !exists(old));
    }
  }

  @Test
  void keepingForeverPrunesNothing() {
    Row ancient = saved("ancient", daysAgo(3000));
    RunRetention forever = new RunRetention(api.db(), api.kubernetes(), objects, RetentionSettings.keepForever(),
        Clock.fixed(NOW, ZoneOffset.UTC));

    assertThat(forever.prune().ran()).isFalse();
    assertThat(exists(ancient)).isTrue();
  }

  @Test
  void settingsComeFromTheEnvironment() {
    assertThat(RetentionSettings.fromEnv(Map.of()).enabled()).isFalse();
    RetentionSettings set = RetentionSettings.fromEnv(Map.of(RetentionSettings.RETENTION_DAYS, "90",
        RetentionSettings.INTERVAL_SECONDS, "600"));
    assertThat(set.retention()).isEqualTo(Duration.ofDays(90));
    assertThat(set.interval()).isEqualTo(Duration.ofMinutes(10));
    assertThatThrownBy(() -> RetentionSettings.fromEnv(Map.of(RetentionSettings.RETENTION_DAYS, "a month")))
        .hasMessageContaining(RetentionSettings.RETENTION_DAYS);
    assertThatThrownBy(() -> RetentionSettings.fromEnv(Map.of(RetentionSettings.RETENTION_DAYS, "-1")))
        .hasMessageContaining(RetentionSettings.RETENTION_DAYS);
    assertThatThrownBy(() -> RetentionSettings.fromEnv(Map.of(RetentionSettings.INTERVAL_SECONDS, "0")))
        .hasMessageContaining(RetentionSettings.INTERVAL_SECONDS);
    assertThat(ApiConfig.fromEnv(Map.of(ApiConfig.DB_URL, "jdbc:postgresql://db/x", ApiConfig.DB_USER, "u",
        RetentionSettings.RETENTION_DAYS, "7")).retention().retention()).isEqualTo(Duration.ofDays(7));
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** A history row, and where its run's objects are. */
  record Row(long id, String name, String uid, String prefix) {}

  private Row saved(String name, OffsetDateTime finishedAt) {
    return saved(name, finishedAt, "uid-" + UUID.randomUUID());
  }

  private Row saved(String name, OffsetDateTime finishedAt, String uid) {
    return insert(name, uid, RunStatus.SUCCESS, finishedAt, prefixOf(name, uid), true, false);
  }

  private Row insert(String name, RunStatus status, OffsetDateTime finishedAt, String prefix, boolean saved, boolean pending) {
    return insert(name, "uid-" + UUID.randomUUID(), status, finishedAt, prefix, saved, pending);
  }

  private Row insert(String name, String uid, RunStatus status, OffsetDateTime finishedAt, String prefix,
                     boolean saved, boolean pending) {
    long id = api.db().dsl().insertInto(RUNS)
        .set(RUNS.ACCOUNT_ID, t.id())
        .set(RUNS.NAMESPACE, t.namespace())
        .set(RUNS.NAME, name)
        .set(RUNS.UID, uid)
        .set(RUNS.TRIGGER_CAUSE, "test")
        .set(RUNS.TRIGGER_CATEGORY, "other")
        .set(RUNS.STATUS, (short) status.code)
        .set(RUNS.PHASE, status.phase.name())
        .set(RUNS.CREATED_AT, NOW.atOffset(ZoneOffset.UTC).minusDays(1000))
        .set(RUNS.FINISHED_AT, finishedAt)
        .set(RUNS.LOGS_BUCKET, prefix == null ? null : bucket)
        .set(RUNS.LOGS_PREFIX, prefix)
        .set(RUNS.ARTIFACTS_SAVED, saved)
        .set(RUNS.LOGS_PENDING, pending)
        .returning(RUNS.ID)
        .fetchOne()
        .getId();
    return new Row(id, name, uid, prefix);
  }

  /** The prefix the operator gives the run, with the uid a given row should have for it. */
  private String prefixOf(String name, String uid) {
    return ObjectKeys.runPrefix("dbt/", String.valueOf(t.id()), t.namespace(), name, uid);
  }

  private List<String> putObjects(Row row) {
    List<String> keys = List.of(ObjectKeys.summary(row.prefix()), ObjectKeys.stepLog(row.prefix(), 1),
        ObjectKeys.stepArtifact(row.prefix(), 1, "run_results.json"));
    keys.forEach(key -> store().put(bucket, key, "content of " + key));
    return keys;
  }

  private void addStatusChange(Row row) {
    api.db().dsl().insertInto(RUN_STATUS_CHANGES)
        .set(RUN_STATUS_CHANGES.RUN_ID, row.id())
        .set(RUN_STATUS_CHANGES.STATUS, (short) RunStatus.SUCCESS.code)
        .set(RUN_STATUS_CHANGES.PHASE, "Succeeded")
        .set(RUN_STATUS_CHANGES.REASON, "Succeeded")
        .execute();
  }

  private int statusChanges(Row row) {
    return api.db().dsl().fetchCount(RUN_STATUS_CHANGES, RUN_STATUS_CHANGES.RUN_ID.eq(row.id()));
  }

  private boolean exists(Row row) {
    return api.db().dsl().fetchExists(RUNS, RUNS.ID.eq(row.id()));
  }

  private List<String> keys() {
    return store().keys(bucket);
  }

  private static TestStore store() {
    return api.objectStore();
  }

  private static OffsetDateTime daysAgo(int days) {
    return NOW.atOffset(ZoneOffset.UTC).minusDays(days);
  }

  private static DbtRunSpec spec() {
    DbtRunSpec spec = new DbtRunSpec();
    spec.steps = List.of("dbt build");
    return spec;
  }
}
