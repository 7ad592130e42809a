package dev.dbtplatform.operator.cleanup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunSpec;
import dev.dbtplatform.crd.DbtRunStatus;
import dev.dbtplatform.crd.RunLogs;
import dev.dbtplatform.crd.RunPhase;
import dev.dbtplatform.embedded.EmbeddedKubernetes;
import dev.dbtplatform.operator.DbtPlatformOperator;
import dev.dbtplatform.operator.OperatorConfig;
import dev.dbtplatform.operator.resources.ResourceNames;
import dev.dbtplatform.operator.resources.RunVolumeFactory;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cleanup sweeper against the Kubernetes API stand-in, which has no garbage collector: what
 * is deleted is what the sweeper deleted. Each test has a namespace of its own, and the sweeper's
 * clock stands still at {@link #NOW}.
 */
class CleanupSweeperTest {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final Duration TTL = Duration.ofHours(1);
  static final AtomicInteger NAMESPACES = new AtomicInteger();

  static EmbeddedKubernetes kubernetes;
  static KubernetesClient client;

  String ns;
  SimpleMeterRegistry registry;
  CleanupSweeper sweeper;

  @BeforeAll
  static void startKubernetes() {
    kubernetes = EmbeddedKubernetes.start();
    client = kubernetes.newClient();
  }

  @AfterAll
  static void stopKubernetes() {
    client.close();
    kubernetes.close();
  }

  @BeforeEach
  void newNamespace() {
    ns = "cleanup-" + NAMESPACES.incrementAndGet();
    registry = new SimpleMeterRegistry();
    sweeper = sweeper(TTL);
  }

  // ---- finished runs -------------------------------------------------------------------------

  @Test
  void aFlushedRunIsDeletedOnlyOnceItsTtlHasPassed() {
    DbtRun old = finishedRun("old", NOW.minus(TTL).minusSeconds(1), RunPhase.Succeeded, true);
    DbtRun recent = finishedRun("recent", NOW.minus(TTL).plusSeconds(60), RunPhase.Failed, true);

    assertThat(sweeper.sweep()).isTrue();

    assertThat(exists(old)).isFalse();
    assertThat(exists(recent)).isTrue();
    assertThat(deletions("DbtRun", "expired-flushed")).isEqualTo(1);
  }

  @Test
  void unfinishedRunsAreKeptHoweverOld() {
    DbtRun running = run("running", RunPhase.Running, NOW.minus(Duration.ofDays(30)), s -> s.volumeName = "running-workspace");
    DbtRun queued = run("queued", RunPhase.Queued, null, s -> {});
    DbtRun fresh = client.resource(new DbtRun(ns, "no-status-yet", spec())).create();

    sweeper.sweep();

    assertThat(exists(running)).isTrue();
    assertThat(exists(queued)).isTrue();
    assertThat(exists(fresh)).isTrue();
  }

  @Test
  void aFinishedRunWhoseLogsAreNotFlushedIsKeptPastItsTtlWithItsVolume() {
    DbtRun unflushed = finishedRun("unflushed", NOW.minus(Duration.ofDays(7)), RunPhase.Succeeded, false);
    PersistentVolumeClaim volume = volumeOf(unflushed);
    // the status write that named the volume was lost: the volume alone must keep the run
    DbtRun lostVolumeName = run("lost-volume-name", RunPhase.Cancelled, NOW.minus(Duration.ofDays(7)), s -> {});
    PersistentVolumeClaim unnamedVolume = volumeOf(lostVolumeName);

    assertThat(sweeper.sweep()).isTrue();

    assertThat(exists(unflushed)).isTrue();
    assertThat(exists(volume)).isTrue();
    assertThat(exists(lostVolumeName)).isTrue();
    assertThat(exists(unnamedVolume)).isTrue();
    assertThat(registry.find(CleanupMetrics.DELETIONS).counters()).isEmpty();
  }

  @Test
  void aRunThatNeverHadAVolumeIsDeletedAfterItsTtl() {
    DbtRun invalid = run("invalid", RunPhase.Failed, NOW.minus(TTL).minusSeconds(1), s -> s.reason = "InvalidSpec");
    DbtRun cancelledRecently = run("cancelled", RunPhase.Cancelled, NOW.minusSeconds(60), s -> {});

    sweeper.sweep();

    assertThat(exists(invalid)).isFalse();
    assertThat(exists(cancelledRecently)).isTrue();
    assertThat(deletions("DbtRun", "expired-without-volume")).isEqualTo(1);
  }

  @Test
  void aTtlOfZeroKeepsRunsForever() {
    DbtRun ancient = finishedRun("ancient", NOW.minus(Duration.ofDays(3650)), RunPhase.Succeeded, true);

    sweeper(Duration.ZERO).sweep();

    assertThat(exists(ancient)).isTrue();
  }

  @Test
  void aRunWithATimeNobodyCanReadIsKept() {
    DbtRun garbled = run("garbled", RunPhase.Succeeded, null, s -> {
      s.finishedAt = "yesterday";
      s.logs = flushedLogs();
    });

    sweeper.sweep();

    assertThat(exists(garbled)).isTrue();
  }

  // ---- run volumes ---------------------------------------------------------------------------

  @Test
  void aVolumeWhoseRunIsGoneIsDeleted() {
    DbtRun deleted = run("deleted", RunPhase.Running, null, s -> {});
    PersistentVolumeClaim volume = volumeOf(deleted);
    client.resource(deleted).delete();
    await().until(() -> !exists(deleted));

    assertThat(sweeper.sweep()).isTrue();

    assertThat(exists(volume)).isFalse();
    assertThat(deletions("PersistentVolumeClaim", "orphaned")).isEqualTo(1);
  }

  @Test
  void aVolumeOfAnExistingRunIsNeverTouched() {
    DbtRun running = run("running", RunPhase.Running, null, s -> s.volumeName = "running-workspace");
    PersistentVolumeClaim runningVolume = volumeOf(running);
    DbtRun finished = finishedRun("finished-unflushed", NOW.minus(Duration.ofDays(2)), RunPhase.Failed, false);
    PersistentVolumeClaim finishedVolume = volumeOf(finished);

    sweeper.sweep();

    assertThat(exists(runningVolume)).isTrue();
    assertThat(exists(finishedVolume)).isTrue();
  }

  @Test
  void aVolumeOfAnEarlierRunWithTheSameNameIsOrphanedEvenThoughTheNameIsTaken() {
    DbtRun first = run("again", RunPhase.Running, null, s -> {});
    PersistentVolumeClaim firstVolume = volumeOf(first);
    client.resource(first).delete();
    await().until(() -> !exists(first));
    DbtRun second = run("again", RunPhase.Queued, null, s -> {});
    assertThat(second.getMetadata().getUid()).isNotEqualTo(first.getMetadata().getUid());

    sweeper.sweep();

    assertThat(exists(firstVolume)).as("the volume of the deleted run").isFalse();
    assertThat(exists(second)).isTrue();
  }

  @Test
  void anOrphanedVolumeThatAPodMountsIsKeptUntilThePodEnds() {
    DbtRun deleted = run("mounted", RunPhase.Running, null, s -> {});
    PersistentVolumeClaim volume = volumeOf(deleted);
    client.resource(deleted).delete();
    Pod pod = client.resource(podMounting(volume)).create();
    pod.setStatus(new PodStatusBuilder().withPhase("Running").build());
    client.pods().inNamespace(ns).resource(pod).updateStatus();

    sweeper.sweep();
    assertThat(exists(volume)).isTrue();

    pod = client.pods().inNamespace(ns).withName(pod.getMetadata().getName()).get();
    pod.setStatus(new PodStatusBuilder().withPhase("Succeeded").build());
    client.pods().inNamespace(ns).resource(pod).updateStatus();
    sweeper.sweep();
    assertThat(exists(volume)).isFalse();
  }

  @Test
  void aVolumeWithoutAnOwnerIsLeftAlone() {
    DbtRun deleted = run("ownerless", RunPhase.Running, null, s -> {});
    PersistentVolumeClaim volume = RunVolumeFactory.build(deleted, "1Gi", null);
    volume.getMetadata().setOwnerReferences(List.of());
    volume = client.resource(volume).create();
    client.resource(deleted).delete();

    sweeper.sweep();

    assertThat(exists(volume)).isTrue();
  }

  // ---- scheduling and configuration ----------------------------------------------------------

  @Test
  void aStartedSweeperSweepsEveryInterval() {
    DbtRun old = finishedRun("scheduled", NOW.minus(Duration.ofDays(2)), RunPhase.Succeeded, true);
    try (CleanupSweeper started = sweeper(TTL).start(Duration.ofMillis(100))) {
      await().atMost(Duration.ofSeconds(10)).until(() -> !exists(old));
      await().until(() -> registry.find(CleanupMetrics.PASSES).tag("result", "succeeded").counter() != null
          && registry.find(CleanupMetrics.PASSES).tag("result", "succeeded").counter().count() >= 2);
    }
  }

  @Test
  void theOperatorStartsTheSweeperAndCountsItsDeletionsInItsMetrics() {
    try (EmbeddedKubernetes own = EmbeddedKubernetes.start(); KubernetesClient ownClient = own.newClient()) {
      // Stored finished before the operator starts, as a run that ended long ago is: with the
      // operator already running, it would take the new run (no status yet, no git) as invalid
      // and its status write could land after this one.
      DbtRun created = ownClient.resource(new DbtRun("default", "done-long-ago", spec())).create();
      DbtRunStatus status = new DbtRunStatus();
      status.phase = RunPhase.Succeeded;
      status.finishedAt = Instant.now().minus(Duration.ofDays(2)).toString();
      status.logs = flushedLogs();
      created.setStatus(status);
      ownClient.resources(DbtRun.class).inNamespace("default").resource(created).updateStatus();

      try (DbtPlatformOperator operator = DbtPlatformOperator.start(ownClient, OperatorConfig.defaults()
          .withMetricsPort(-1).withCleanup(new OperatorConfig.Cleanup(TTL, Duration.ofMillis(200))), Clock.systemUTC())) {
        await().atMost(Duration.ofSeconds(15))
            .until(() -> ownClient.resources(DbtRun.class).inNamespace("default").withName("done-long-ago").get() == null);
        await().untilAsserted(() -> assertThat(operator.registry().scrape())
            .contains("dbt_platform_cleanup_deletions_total{kind=\"DbtRun\",reason=\"expired-flushed\"} 1.0"));
      }
    }
  }

  @Test
  void settingsComeFromTheEnvironment() {
    assertThat(OperatorConfig.fromEnv(Map.of()).cleanup())
        .isEqualTo(new OperatorConfig.Cleanup(Duration.ofSeconds(86400), Duration.ofMinutes(5)));
    OperatorConfig.Cleanup set = OperatorConfig.fromEnv(Map.of(
        OperatorConfig.Cleanup.RUN_TTL_SECONDS, "0", OperatorConfig.Cleanup.INTERVAL_SECONDS, "30")).cleanup();
    assertThat(set.runTtl()).isZero();
    assertThat(set.interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(OperatorConfig.fromEnv(Map.of(OperatorConfig.Cleanup.INTERVAL_SECONDS, "0")).cleanup().enabled()).isFalse();
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of(OperatorConfig.Cleanup.RUN_TTL_SECONDS, "-1")))
        .hasMessageContaining(OperatorConfig.Cleanup.RUN_TTL_SECONDS);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private CleanupSweeper sweeper(Duration ttl) {
    return new CleanupSweeper(client, Set.of(ns), new OperatorConfig.Cleanup(ttl, Duration.ofMinutes(5)),
        new CleanupMetrics(registry), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private static DbtRunSpec spec() {
    DbtRunSpec spec = new DbtRunSpec();
    spec.steps = List.of("dbt build");
    return spec;
  }

  /** A run that had a volume, and has flushed its logs or not. */
  private DbtRun finishedRun(String name, Instant finishedAt, RunPhase phase, boolean flushed) {
    return run(name, phase, finishedAt, s -> {
      s.volumeName = ResourceNames.runVolume(name);
      if (flushed) {
        s.logs = flushedLogs();
      }
    });
  }

  private static RunLogs flushedLogs() {
    RunLogs logs = new RunLogs();
    logs.bucket = "runs";
    logs.prefix = "accounts/1/runs/x/";
    logs.flushedAt = NOW.minus(Duration.ofDays(400)).toString();
    return logs;
  }

  /** Creates the run, then stores its status as the operator would. */
  private DbtRun run(String name, RunPhase phase, Instant finishedAt, java.util.function.Consumer<DbtRunStatus> more) {
    DbtRun created = client.resource(new DbtRun(ns, name, spec())).create();
    DbtRunStatus status = new DbtRunStatus();
    status.phase = phase;
    status.finishedAt = finishedAt == null ? null : finishedAt.toString();
    more.accept(status);
    created.setStatus(status);
    return client.resources(DbtRun.class).inNamespace(ns).resource(created).updateStatus();
  }

  private PersistentVolumeClaim volumeOf(DbtRun run) {
    return client.resource(RunVolumeFactory.build(run, "1Gi", null)).create();
  }

  private Pod podMounting(PersistentVolumeClaim volume) {
    return new PodBuilder()
        .withNewMetadata().withName("debug-" + volume.getMetadata().getName()).withNamespace(ns).endMetadata()
        .withNewSpec()
          .addNewContainer().withName("shell").withImage("busybox").endContainer()
          .addNewVolume().withName("workspace").withNewPersistentVolumeClaim()
            .withClaimName(volume.getMetadata().getName()).endPersistentVolumeClaim().endVolume()
        .endSpec()
        .build();
  }

  private boolean exists(io.fabric8.kubernetes.api.model.HasMetadata object) {
    io.fabric8.kubernetes.api.model.HasMetadata stored = client.resource(object).get();
    return stored != null && stored.getMetadata().getUid().equals(object.getMetadata().getUid());
  }

  private double deletions(String kind, String reason) {
    Counter counter = registry.find(CleanupMetrics.DELETIONS).tags("kind", kind, "reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }
}
