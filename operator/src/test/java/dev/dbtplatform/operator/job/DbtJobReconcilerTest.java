package dev.dbtplatform.operator.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbtplatform.contract.Cron;
import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.crd.DbtEnvironment;
import dev.dbtplatform.crd.DbtJob;
import dev.dbtplatform.crd.DbtJobSpec;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunSpec;
import dev.dbtplatform.crd.DbtRunStatus;
import dev.dbtplatform.crd.JobCompletionStatus;
import dev.dbtplatform.crd.JobCompletionTrigger;
import dev.dbtplatform.crd.JobSchedule;
import dev.dbtplatform.crd.JobTriggers;
import dev.dbtplatform.crd.ObjectRef;
import dev.dbtplatform.crd.RunPhase;
import dev.dbtplatform.embedded.EmbeddedKubernetes;
import dev.dbtplatform.operator.TestClock;
import dev.dbtplatform.operator.UncachedContext;
import dev.dbtplatform.operator.metrics.SchedulerMetrics;
import dev.dbtplatform.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scheduler on a clock the test sets, against the Kubernetes API stand-in, each reconcile
 * called directly from a state the test chose: a fire makes exactly one run whatever repeats it
 * (re-reconcile, a restarted operator, a second replica), downtime is caught up once or not at
 * all, and completion triggers start one run per matching upstream run.
 */
class DbtJobReconcilerTest {
  static final String NS = "default";
  static final Duration CATCH_UP = Duration.ofMinutes(10);
  static final AtomicInteger SEQ = new AtomicInteger();

  static EmbeddedKubernetes kubernetes;
  static KubernetesClient client;

  @BeforeAll
  static void start() {
    kubernetes = EmbeddedKubernetes.start();
    client = kubernetes.newClient();
    client.resource(JobTestResources.prodEnvironment(NS)).create();
  }

  @AfterAll
  static void stop() {
    client.close();
    kubernetes.close();
  }

  /** One operator process: a reconciler with its own memory and metrics. */
  record Scheduler(DbtJobReconciler reconciler, MeterRegistry registry) {
    static Scheduler on(TestClock clock) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      return new Scheduler(new DbtJobReconciler(client, CATCH_UP, new SchedulerMetrics(registry), clock), registry);
    }

    UpdateControl<DbtJob> reconcile(String job) {
      return reconcile(read(job));
    }

    UpdateControl<DbtJob> reconcile(DbtJob copy) {
      return reconciler.reconcile(copy, new UncachedContext<>(client));
    }

    double fires(String trigger, String outcome) {
      var counter = registry.find("dbt_platform_job_fires").tag("trigger", trigger).tag("outcome", outcome).counter();
      return counter == null ? 0 : counter.count();
    }
  }

  // ---- schedule ------------------------------------------------------------------------------

  @Test
  void aPassThatEndsAfterTheNextFireLooksAgainAtOnce() {
    DbtJob created = createJob(schedule("* * * * *"), Map.of());
    String job = created.getMetadata().getName();
    Instant fire = firstFireOf(created, "* * * * *");
    // the pass starts 50 ms before the fire and its API calls take it 100 ms past it
    java.time.Clock slowPass = new java.time.Clock() {
      private boolean started;

      @Override
      public Instant instant() {
        Instant now = started ? fire.plusMillis(100) : fire.minusMillis(50);
        started = true;
        return now;
      }

      @Override
      public java.time.ZoneId getZone() {
        return java.time.ZoneOffset.UTC;
      }

      @Override
      public java.time.Clock withZone(java.time.ZoneId zone) {
        return this;
      }
    };
    DbtJobReconciler reconciler = new DbtJobReconciler(client, CATCH_UP, new SchedulerMetrics(new SimpleMeterRegistry()),
        slowPass);

    UpdateControl<DbtJob> control = reconciler.reconcile(read(job), new UncachedContext<>(client));

    assertThat(runsOf(job)).as("not due when the pass started").isEmpty();
    assertThat(control.getScheduleDelay()).as("JOSDK's timer refuses a negative delay").contains(0L);
  }

  @Test
  void theWaitForAFireIsRoundedUpToTheTimersMillisecond() {
    Instant fire = Instant.parse("2026-01-01T10:00:00Z");
    assertThat(DbtJobReconciler.untilFire(fire.minusSeconds(20).plusNanos(300_000), fire)).isEqualTo(Duration.ofMillis(20_000));
    assertThat(DbtJobReconciler.untilFire(fire.minusSeconds(20), fire)).isEqualTo(Duration.ofSeconds(20));
    assertThat(DbtJobReconciler.untilFire(fire.plusMillis(5), fire)).isEqualTo(Duration.ZERO);
  }

  @Test
  void aFireCreatesExactlyOneRunOfTheJob() {
    DbtJob created = createJob(schedule("* * * * *"), Map.of(ApiGroup.JOB_ID_LABEL, "12", ApiGroup.ACCOUNT_ID_LABEL, "7"));
    String job = created.getMetadata().getName();
    Instant fire = firstFireOf(created, "* * * * *");
    TestClock clock = new TestClock(fire.minusSeconds(20));
    Scheduler scheduler = Scheduler.on(clock);

    UpdateControl<DbtJob> waiting = scheduler.reconcile(job);
    assertThat(runsOf(job)).isEmpty();
    assertThat(read(job).getStatus().nextRunTime).isEqualTo(fire.toString());
    assertThat(waiting.getScheduleDelay()).contains(20_000L);

    clock.set(fire.plusSeconds(3));
    UpdateControl<DbtJob> fired = scheduler.reconcile(job);

    List<DbtRun> runs = runsOf(job);
    assertThat(runs).hasSize(1);
    DbtRun run = runs.get(0);
    assertThat(run.getMetadata().getName()).isEqualTo(JobRunNames.scheduled(job, fire));
    assertThat(run.getSpec().jobRef.name).isEqualTo(job);
    assertThat(run.getSpec().runReasonCategory).isEqualTo(DbtRunSpec.ReasonCategory.scheduled);
    assertThat(run.getSpec().runReason).isEqualTo("Scheduled");
    assertThat(run.getSpec().steps).isEmpty();
    assertThat(run.getMetadata().getLabels()).containsEntry(ApiGroup.JOB_ID_LABEL, "12")
        .containsEntry(ApiGroup.ACCOUNT_ID_LABEL, "7").containsEntry(JobRunFactory.JOB_LABEL, job)
        .doesNotContainKey(ApiGroup.RUN_ID_LABEL);
    assertThat(run.getMetadata().getAnnotations()).containsEntry(JobRunFactory.SCHEDULED_AT_ANNOTATION, fire.toString());
    assertThat(run.getMetadata().getOwnerReferences()).as("runs outlive their job").isEmpty();
    DbtJob stored = read(job);
    assertThat(stored.getStatus().lastScheduleTime).isEqualTo(fire.toString());
    assertThat(stored.getStatus().nextRunTime).isEqualTo(fire.plusSeconds(60).toString());
    assertThat(stored.getStatus().activeRuns).containsExactly(run.getMetadata().getName());
    assertThat(stored.getStatus().observedGeneration).isEqualTo(stored.getMetadata().getGeneration());
    assertThat(ready(stored).getStatus()).isEqualTo("True");
    assertThat(ready(stored).getMessage()).contains("'* * * * *' (UTC)");
    assertThat(fired.getScheduleDelay()).contains(57_000L);
    assertThat(scheduler.fires("schedule", "created")).isEqualTo(1);
    var skew = scheduler.registry().find("dbt_platform_schedule_skew").timer();
    assertThat(skew.count()).isEqualTo(1);
    assertThat(skew.totalTime(java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(3);

    scheduler.reconcile(job);
    scheduler.reconcile(created); // a stale copy that has not seen the status write
    assertThat(runsOf(job)).hasSize(1);
    assertThat(scheduler.fires("schedule", "created")).isEqualTo(1);
    assertThat(scheduler.fires("schedule", "already_existed")).isZero();
  }

  @Test
  void aRestartedOperatorThatLostTheStatusWriteCreatesNoSecondRun() {
    DbtJob created = createJob(schedule("*/5 * * * *"), Map.of());
    String job = created.getMetadata().getName();
    Instant fire = firstFireOf(created, "*/5 * * * *");
    TestClock clock = new TestClock(fire.plusSeconds(1));
    Scheduler.on(clock).reconcile(job);
    assertThat(runsOf(job)).hasSize(1);
    // the operator died after the create, before its status write was stored
    client.resources(DbtJob.class).inNamespace(NS).withName(job).editStatus(j -> {
      j.getStatus().lastScheduleTime = null;
      return j;
    });

    clock.advance(Duration.ofSeconds(30));
    Scheduler restarted = Scheduler.on(clock);
    restarted.reconcile(job);

    assertThat(runsOf(job)).hasSize(1);
    assertThat(restarted.fires("schedule", "already_existed")).isEqualTo(1);
    assertThat(restarted.fires("schedule", "created")).isZero();
    assertThat(read(job).getStatus().lastScheduleTime).isEqualTo(fire.toString());
  }

  @Test
  void twoReplicasRacingOnTheSameFireCreateOneRun() throws Exception {
    DbtJob created = createJob(schedule("*/5 * * * *"), Map.of());
    String job = created.getMetadata().getName();
    TestClock clock = new TestClock(firstFireOf(created, "*/5 * * * *").plusSeconds(2));
    Scheduler first = Scheduler.on(clock);
    Scheduler second = Scheduler.on(clock);
    DbtJob copyOfFirst = read(job);
    DbtJob copyOfSecond = read(job);
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<?> a = threads.submit(() -> { await(go); first.reconcile(copyOfFirst); });
      Future<?> b = threads.submit(() -> { await(go); second.reconcile(copyOfSecond); });
      go.countDown();
      a.get();
      b.get();
    } finally {
      threads.shutdown();
    }

    assertThat(runsOf(job)).hasSize(1);
    assertThat(first.fires("schedule", "created") + second.fires("schedule", "created")).isEqualTo(1);
    assertThat(first.fires("schedule", "already_existed") + second.fires("schedule", "already_existed")).isEqualTo(1);
    // whichever status write lost is retried from a fresh read and finds the fire recorded
    first.reconcile(job);
    second.reconcile(job);
    assertThat(runsOf(job)).hasSize(1);
    assertThat(read(job).getStatus().lastScheduleTime).isNotNull();
  }

  @Test
  void longDowntimeIsCaughtUpWithOneRunForTheLatestFireWithinTheDeadline() {
    DbtJob created = createJob(schedule("0 * * * *"), Map.of());
    String job = created.getMetadata().getName();
    // the operator was down for hours; it comes back 9 minutes after the latest fire
    Instant latest = Cron.parse("0 * * * *").next(creation(created).plus(Duration.ofHours(4)));
    TestClock clock = new TestClock(latest.plus(Duration.ofMinutes(9)));
    Scheduler scheduler = Scheduler.on(clock);

    scheduler.reconcile(job);
    scheduler.reconcile(job);

    assertThat(runsOf(job)).extracting(r -> r.getMetadata().getName()).containsExactly(JobRunNames.scheduled(job, latest));
    assertThat(read(job).getStatus().lastScheduleTime).isEqualTo(latest.toString());
    assertThat(scheduler.fires("schedule", "created")).isEqualTo(1);
    assertThat(scheduler.fires("schedule", "skipped_missed")).isZero();
  }

  @Test
  void aFireMissedByMoreThanTheDeadlineIsSkippedNotBurst() {
    DbtJob created = createJob(schedule("0 * * * *"), Map.of());
    String job = created.getMetadata().getName();
    Instant latest = Cron.parse("0 * * * *").next(creation(created).plus(Duration.ofHours(4)));
    TestClock clock = new TestClock(latest.plus(Duration.ofMinutes(11)));
    Scheduler scheduler = Scheduler.on(clock);

    scheduler.reconcile(job);
    scheduler.reconcile(job);

    assertThat(runsOf(job)).isEmpty();
    DbtJob stored = read(job);
    assertThat(stored.getStatus().lastScheduleTime).isNull();
    assertThat(stored.getStatus().nextRunTime).isEqualTo(latest.plus(Duration.ofHours(1)).toString());
    assertThat(scheduler.fires("schedule", "skipped_missed")).as("counted once").isEqualTo(1);

    clock.set(latest.plus(Duration.ofHours(1)));
    scheduler.reconcile(job);
    assertThat(runsOf(job)).as("the next fire runs as usual").hasSize(1);
  }

  @Test
  void aSuspendedJobStartsNothing() {
    DbtJobSpec spec = schedule("* * * * *");
    spec.suspend = true;
    DbtJob created = createJob(spec, Map.of());
    String job = created.getMetadata().getName();
    TestClock clock = new TestClock(firstFireOf(created, "* * * * *").plusSeconds(1));

    UpdateControl<DbtJob> control = Scheduler.on(clock).reconcile(job);

    assertThat(runsOf(job)).isEmpty();
    DbtJob stored = read(job);
    assertThat(stored.getStatus().nextRunTime).isNull();
    assertThat(ready(stored).getReason()).isEqualTo("Suspended");
    assertThat(control.getScheduleDelay()).as("un-suspending is an edit, an event of its own").isEmpty();
  }

  @Test
  void anInvalidCronIsReportedOnTheReadyCondition() {
    DbtJob created = createJob(schedule("61 * * * *"), Map.of());
    String job = created.getMetadata().getName();

    UpdateControl<DbtJob> control = Scheduler.on(new TestClock(creation(created).plusSeconds(3600))).reconcile(job);

    Condition ready = ready(read(job));
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("InvalidSpec");
    assertThat(ready.getMessage()).isEqualTo("spec.triggers.schedule.cron '61 * * * *' is not a valid cron expression: "
        + "the minute field '61' is not valid; it takes 0-59, '*', ranges like 1-5, lists like 1,15 and steps like */10");
    assertThat(runsOf(job)).isEmpty();
    assertThat(control.getScheduleDelay()).isEmpty();
  }

  @Test
  void aMissingEnvironmentHoldsFiresUntilItAppears() {
    DbtJobSpec spec = schedule("*/5 * * * *");
    String envName = "env-" + SEQ.incrementAndGet();
    spec.environmentRef = ObjectRef.named(envName);
    DbtJob created = createJob(spec, Map.of());
    String job = created.getMetadata().getName();
    Instant fire = firstFireOf(created, "*/5 * * * *");
    TestClock clock = new TestClock(fire.plusSeconds(1));
    Scheduler scheduler = Scheduler.on(clock);

    UpdateControl<DbtJob> control = scheduler.reconcile(job);

    Condition ready = ready(read(job));
    assertThat(ready.getReason()).isEqualTo("EnvironmentNotFound");
    assertThat(ready.getMessage()).isEqualTo("DbtEnvironment '" + envName + "' not found in namespace default; "
        + "no run starts until it exists");
    assertThat(runsOf(job)).isEmpty();
    assertThat(control.getScheduleDelay()).contains(DbtJobReconciler.RECHECK_NOT_READY.toMillis());

    DbtEnvironment env = client.resources(DbtEnvironment.class).inNamespace(NS).withName("prod").get();
    env.getMetadata().setName(envName);
    env.getMetadata().setResourceVersion(null);
    env.getMetadata().setUid(null);
    env.setStatus(null);
    client.resource(env).create();
    clock.advance(Duration.ofMinutes(2));
    scheduler.reconcile(job);
    assertThat(runsOf(job)).as("caught up within the deadline").hasSize(1);
    assertThat(ready(read(job)).getStatus()).isEqualTo("True");
  }

  // ---- completion triggers -------------------------------------------------------------------

  @Test
  void aRunEndingInAListedPhaseTriggersExactlyOneRunOfTheDownstreamJob() {
    String upstream = createJob(jobSpec(), Map.of()).getMetadata().getName();
    DbtJob created = createJob(afterCompletionOf(upstream, JobCompletionStatus.Succeeded), Map.of());
    String job = created.getMetadata().getName();
    Instant start = creation(created).plusSeconds(60);
    TestClock clock = new TestClock(start);
    String succeeded = endedRun(upstream, RunPhase.Succeeded, start.minusSeconds(5));
    String failed = endedRun(upstream, RunPhase.Failed, start.minusSeconds(4));
    String running = createRun(upstream);
    Scheduler scheduler = Scheduler.on(clock);

    scheduler.reconcile(job);
    scheduler.reconcile(job);
    Scheduler.on(clock).reconcile(job); // a restarted operator

    List<DbtRun> runs = runsOf(job);
    assertThat(runs).extracting(r -> r.getMetadata().getName()).containsExactly(JobRunNames.triggered(job, succeeded));
    DbtRun run = runs.get(0);
    assertThat(run.getSpec().jobRef.name).isEqualTo(job);
    assertThat(run.getSpec().runReasonCategory).isEqualTo(DbtRunSpec.ReasonCategory.triggered);
    assertThat(run.getSpec().runReason).isEqualTo("Triggered by completion of run " + succeeded + " of job " + upstream);
    assertThat(run.getMetadata().getAnnotations()).containsEntry(JobRunFactory.TRIGGERED_BY_RUN_ANNOTATION, succeeded);
    assertThat(scheduler.fires("completion", "created")).isEqualTo(1);
    assertThat(failed).isNotNull();

    setPhase(running, RunPhase.Succeeded, start.plusSeconds(10));
    clock.advance(Duration.ofSeconds(20));
    scheduler.reconcile(job);
    assertThat(runsOf(job)).hasSize(2);
  }

  @Test
  void onlyRecentRunsThatEndedAfterTheJobExistedTrigger() {
    String upstream = createJob(jobSpec(), Map.of()).getMetadata().getName();
    String before = endedRun(upstream, RunPhase.Succeeded, Instant.now().minusSeconds(30));
    DbtJob created = createJob(afterCompletionOf(upstream, JobCompletionStatus.Succeeded, JobCompletionStatus.Failed),
        Map.of());
    String job = created.getMetadata().getName();
    String old = endedRun(upstream, RunPhase.Failed, creation(created).plusSeconds(5));
    TestClock clock = new TestClock(creation(created).plus(CATCH_UP).plusSeconds(10));

    Scheduler.on(clock).reconcile(job);

    assertThat(runsOf(job)).as("%s ended before the job, %s longer ago than the catch-up time", before, old).isEmpty();
  }

  @Test
  void theJobShowsItsActiveAndLastCompletedRuns() {
    DbtJob created = createJob(jobSpec(), Map.of());
    String job = created.getMetadata().getName();
    String active = createRun(job);
    String first = endedRun(job, RunPhase.Succeeded, Instant.parse("2025-05-10T01:00:00Z"));
    String last = endedRun(job, RunPhase.Failed, Instant.parse("2025-05-10T02:00:00Z"));

    UpdateControl<DbtJob> control = Scheduler.on(new TestClock(creation(created))).reconcile(job);

    DbtJob stored = read(job);
    assertThat(stored.getStatus().activeRuns).containsExactly(active);
    assertThat(stored.getStatus().lastCompletedRun).isEqualTo(last).isNotEqualTo(first);
    assertThat(stored.getStatus().lastCompletedPhase).isEqualTo("Failed");
    assertThat(stored.getStatus().lastCompletedTime).isEqualTo("2025-05-10T02:00:00Z");
    assertThat(stored.getStatus().nextRunTime).isNull();
    assertThat(ready(stored).getMessage()).isEqualTo("environment found; runs start through the API or kubectl");
    assertThat(control.getScheduleDelay()).contains(DbtJobReconciler.RECHECK_READY.toMillis());
  }

  @Test
  void aJobCannotTriggerItself() {
    String name = "self-" + SEQ.incrementAndGet();
    DbtJob job = new DbtJob(NS, name, afterCompletionOf(name, JobCompletionStatus.Succeeded));
    client.resource(job).create();

    Scheduler.on(new TestClock(Instant.now())).reconcile(name);

    assertThat(ready(read(name)).getReason()).isEqualTo("InvalidSpec");
    assertThat(ready(read(name)).getMessage()).contains("cannot trigger itself");
  }

  @Test
  void jobsWhoseCompletionTriggersFormALoopStartNoRuns() {
    String a = "loop-a-" + SEQ.incrementAndGet();
    String b = "loop-b-" + SEQ.incrementAndGet();
    String c = "loop-c-" + SEQ.incrementAndGet();
    String d = "loop-d-" + SEQ.incrementAndGet();
    client.resource(new DbtJob(NS, a, afterCompletionOf(c, JobCompletionStatus.Succeeded))).create();
    client.resource(new DbtJob(NS, b, afterCompletionOf(a, JobCompletionStatus.Succeeded))).create();
    client.resource(new DbtJob(NS, c, afterCompletionOf(b, JobCompletionStatus.Succeeded))).create();
    // d hangs off the loop without being part of it
    client.resource(new DbtJob(NS, d, afterCompletionOf(a, JobCompletionStatus.Succeeded))).create();

    Scheduler scheduler = Scheduler.on(new TestClock(Instant.now()));
    UpdateControl<DbtJob> control = scheduler.reconcile(a);
    scheduler.reconcile(d);

    assertThat(ready(read(a)).getReason()).isEqualTo("TriggerLoop");
    assertThat(ready(read(a)).getMessage()).contains(a + " → " + b + " → " + c + " → " + a);
    assertThat(control.getScheduleDelay()).as("another job's edit can end the loop").isPresent();
    assertThat(ready(read(d)).getStatus()).isEqualTo("True");

    // breaking the loop anywhere makes the job ready again
    DbtJob edited = read(c);
    edited.getSpec().triggers.onJobCompletion = null;
    client.resource(edited).update();
    scheduler.reconcile(a);
    assertThat(ready(read(a)).getStatus()).isEqualTo("True");
  }

  // ---- helpers -------------------------------------------------------------------------------

  static DbtJobSpec jobSpec() {
    DbtJobSpec spec = new DbtJobSpec();
    spec.environmentRef = ObjectRef.named("prod");
    spec.steps = List.of("dbt build");
    return spec;
  }

  static DbtJobSpec schedule(String cron) {
    DbtJobSpec spec = jobSpec();
    spec.triggers = new JobTriggers();
    spec.triggers.schedule = new JobSchedule(cron);
    return spec;
  }

  static DbtJobSpec afterCompletionOf(String upstream, JobCompletionStatus... statuses) {
    DbtJobSpec spec = jobSpec();
    spec.triggers = new JobTriggers();
    spec.triggers.onJobCompletion = new JobCompletionTrigger();
    spec.triggers.onJobCompletion.jobRef = ObjectRef.named(upstream);
    spec.triggers.onJobCompletion.statuses = List.of(statuses);
    return spec;
  }

  static DbtJob createJob(DbtJobSpec spec, Map<String, String> labels) {
    DbtJob job = new DbtJob(NS, "job-" + SEQ.incrementAndGet(), spec);
    job.getMetadata().setLabels(labels);
    return client.resource(job).create();
  }

  static String createRun(String job) {
    DbtRunSpec spec = new DbtRunSpec();
    spec.jobRef = ObjectRef.named(job);
    DbtRun run = new DbtRun(NS, "run-" + SEQ.incrementAndGet(), spec);
    client.resource(run).create();
    return run.getMetadata().getName();
  }

  static String endedRun(String job, RunPhase phase, Instant finishedAt) {
    String name = createRun(job);
    setPhase(name, phase, finishedAt);
    return name;
  }

  static void setPhase(String run, RunPhase phase, Instant finishedAt) {
    client.resources(DbtRun.class).inNamespace(NS).withName(run).editStatus(r -> {
      r.setStatus(new DbtRunStatus());
      r.getStatus().phase = phase;
      r.getStatus().finishedAt = finishedAt.toString();
      return r;
    });
  }

  static DbtJob read(String job) {
    return client.resources(DbtJob.class).inNamespace(NS).withName(job).get();
  }

  static List<DbtRun> runsOf(String job) {
    return client.resources(DbtRun.class).inNamespace(NS).list().getItems().stream()
        .filter(r -> r.getSpec().jobRef != null && job.equals(r.getSpec().jobRef.name))
        .toList();
  }

  static Condition ready(DbtJob job) {
    return Conditions.find(job.getStatus().conditions, DbtJobReconciler.READY);
  }

  static Instant creation(DbtJob job) {
    return Instant.parse(job.getMetadata().getCreationTimestamp());
  }

  /** The first fire at or after the job's creation: a job created on a fire time runs for it. */
  static Instant firstFireOf(DbtJob job, String cron) {
    return Cron.parse(cron).next(creation(job).minusSeconds(1));
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
