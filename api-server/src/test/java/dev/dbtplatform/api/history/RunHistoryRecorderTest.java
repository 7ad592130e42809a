package dev.dbtplatform.api.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbtplatform.api.ApiTestHarness;
import dev.dbtplatform.api.ApiTestHarness.Tenant;
import dev.dbtplatform.api.db.AccountRepository;
import dev.dbtplatform.api.db.ObjectIds;
import dev.dbtplatform.api.db.RunHistory;
import dev.dbtplatform.api.runs.RunQuery;
import dev.dbtplatform.api.runs.RunStatus;
import dev.dbtplatform.api.runs.StoredRun;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunSpec;
import dev.dbtplatform.crd.DbtRunStatus;
import dev.dbtplatform.crd.ObjectRef;
import dev.dbtplatform.crd.ResolvedRun;
import dev.dbtplatform.crd.RunPhase;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The recorder watching DbtRuns: every change lands in history, which outlives the resource. */
class RunHistoryRecorderTest {
  static final ApiTestHarness api = ApiTestHarness.shared();
  Tenant t;
  RunHistory history;
  RunHistoryRecorder recorder;

  @BeforeEach
  void start() {
    t = api.newAccount("Recorder");
    history = new RunHistory(api.db());
    recorder = new RunHistoryRecorder(new AccountRepository(api.db()), new ObjectIds(api.db()), history)
        .start(api.kubernetes());
  }

  @AfterEach
  void stop() {
    recorder.close();
  }

  Optional<StoredRun> recorded(String name) {
    return history.list(new RunQuery(t.id(), null, null, null, null, null, null, RunQuery.Order.id, false, 100, 0))
        .runs().stream().filter(r -> r.name().equals(name)).findFirst();
  }

  @Test
  void recordsEveryPhaseOfARunMadeWithKubectlAndKeepsItAfterDeletion() {
    KubernetesClient k8s = api.kubernetes();
    DbtRunSpec spec = new DbtRunSpec();
    spec.environmentRef = ObjectRef.named("production");
    spec.steps = List.of("dbt build");
    DbtRun run = k8s.resource(new DbtRun(t.namespace(), "watched", spec)).create();
    await().atMost(Duration.ofSeconds(10)).until(() -> recorded("watched").isPresent());
    StoredRun queued = recorded("watched").orElseThrow();
    assertThat(queued.status()).isEqualTo(RunStatus.QUEUED);
    assertThat(queued.uid()).isEqualTo(run.getMetadata().getUid());
    assertThat(queued.trigger().cause()).isEqualTo(RunObservations.DEFAULT_CAUSE);
    assertThat(queued.environmentId()).isNotNull(); // given from the environment's name

    for (RunPhase phase : List.of(RunPhase.Starting, RunPhase.Running, RunPhase.Failed)) {
      DbtRun current = k8s.resources(DbtRun.class).inNamespace(t.namespace()).withName("watched").get();
      DbtRunStatus s = current.getStatus() == null ? new DbtRunStatus() : current.getStatus();
      s.phase = phase;
      s.resolved = new ResolvedRun();
      s.resolved.environmentName = "production";
      s.resolved.steps = List.of("dbt build");
      if (phase == RunPhase.Failed) {
        s.reason = "PodDeleted";
        s.message = "the run's pod was deleted by someone else";
        s.finishedAt = "2026-01-02T03:04:05Z";
      }
      current.setStatus(s);
      k8s.resource(current).updateStatus();
      await().atMost(Duration.ofSeconds(10))
          .until(() -> recorded("watched").map(r -> r.status() == RunStatus.of(phase)).orElse(false));
    }
    StoredRun failed = recorded("watched").orElseThrow();
    assertThat(failed.reason()).isEqualTo("PodDeleted");
    assertThat(failed.finishedAt()).isNotNull();
    assertThat(history.statusChanges(failed.id())).extracting(RunHistory.StatusChange::phase)
        .containsExactly("Queued", "Starting", "Running", "Failed");

    k8s.resource(run).delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> k8s.resources(DbtRun.class).inNamespace(t.namespace())
        .withName("watched").get() == null);
    assertThat(recorded("watched")).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(RunStatus.ERROR));
  }

  @Test
  void aFinishedRunNeverGoesBackToRunningAndDuplicatesChangeNothing() {
    DbtRunSpec spec = new DbtRunSpec();
    spec.environmentRef = ObjectRef.named("production");
    spec.steps = List.of("dbt build");
    DbtRun run = new DbtRun(t.namespace(), "replayed", spec);
    run.getMetadata().setUid("uid-replayed");
    run.getMetadata().setCreationTimestamp("2026-01-01T00:00:00Z");
    run.setStatus(new DbtRunStatus());
    run.getStatus().phase = RunPhase.Succeeded;
    recorder.record(run);
    recorder.record(run);
    run.getStatus().phase = RunPhase.Running; // an old event arriving late
    recorder.record(run);
    StoredRun stored = recorded("replayed").orElseThrow();
    assertThat(stored.status()).isEqualTo(RunStatus.SUCCESS);
    assertThat(history.statusChanges(stored.id())).hasSize(1);
  }

  @Test
  void runsInANamespaceNoAccountOwnsAreNotRecorded() {
    DbtRunSpec spec = new DbtRunSpec();
    spec.environmentRef = ObjectRef.named("production");
    spec.steps = List.of("dbt build");
    DbtRun run = new DbtRun("nobody-owns-this", "stray", spec);
    run.getMetadata().setUid("uid-stray");
    recorder.record(run);
    assertThat(history.list(new RunQuery(t.id(), null, null, null, null, null, null, RunQuery.Order.id, false, 100, 0))
        .runs()).noneMatch(r -> r.name().equals("stray"));
  }
}
