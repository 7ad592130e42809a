package dev.dbtplatform.operator.job;

import dev.dbtplatform.contract.Cron;
import dev.dbtplatform.contract.Json;
import dev.dbtplatform.crd.DbtEnvironment;
import dev.dbtplatform.crd.DbtJob;
import dev.dbtplatform.crd.DbtJobStatus;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.RunPhase;
import dev.dbtplatform.operator.metrics.SchedulerMetrics;
import dev.dbtplatform.operator.metrics.SchedulerMetrics.Outcome;
import dev.dbtplatform.operator.metrics.SchedulerMetrics.Trigger;
import dev.dbtplatform.operator.status.Conditions;
import dev.dbtplatform.operator.status.OwnWrites;
import dev.dbtplatform.operator.status.StatusWriter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler. Starts runs of a DbtJob when its cron schedule fires and when a run of the job
 * its completion trigger names ends, and shows the job's runs in its status.
 *
 * <p>Each fire is one DbtRun with a name derived from the job and the fire (the fire time, or
 * the run that ended), so handling a fire twice (a restart between create and status write, a
 * duplicate event, two replicas) ends in AlreadyExists instead of a second run. Only the latest
 * fire is ever caught up, and only within the catch-up time (see {@link ScheduleDecision}). The
 * reconcile is rescheduled for the next fire; the operator only writes the job's status.
 */
public final class DbtJobReconciler implements Reconciler<DbtJob> {
  private static final Logger log = LoggerFactory.getLogger(DbtJobReconciler.class);

  public static final String READY = "Ready";
  /** A missing environment is not watched; it is looked for again this often. */
  static final Duration RECHECK_NOT_READY = Duration.ofSeconds(15);
  /** The longest wait between reconciles of a ready job, to notice its environment going away. */
  static final Duration RECHECK_READY = Duration.ofMinutes(5);
  private static final Duration STALE_RETRY = Duration.ofMillis(200);

  private final KubernetesClient client;
  private final Duration catchUp;
  private final SchedulerMetrics metrics;
  private final Clock clock;
  private final StatusWriter statusWriter;
  private final OwnWrites<DbtJob> ownWrites;
  private final JobRuns runs;
  private final JobEnvironments environments;
  private final FireLedger ledger = new FireLedger();

  /** @param catchUp how long after a fire its run may still be started, see {@link ScheduleDecision} */
  public DbtJobReconciler(KubernetesClient client, Duration catchUp, SchedulerMetrics metrics, Clock clock) {
    this.client = client;
    this.catchUp = catchUp;
    this.metrics = metrics;
    this.clock = clock;
    this.statusWriter = new StatusWriter(client);
    this.ownWrites = new OwnWrites<>(job -> client.getKubernetesSerialization().clone(job));
    this.runs = new JobRuns(client);
    this.environments = new JobEnvironments(client);
  }

  @Override
  public List<EventSource<?, DbtJob>> prepareEventSources(EventSourceContext<DbtJob> context) {
    context.getPrimaryCache().addIndexer(JobRunMapper.BY_UPSTREAM_JOB_INDEX, JobRunMapper::upstreamJobKeys);
    var runsConfig = InformerEventSourceConfiguration.from(DbtRun.class, DbtJob.class);
    if (context.getControllerConfiguration().getInformerConfig().getNamespaces().size() <= 1) {
      runsConfig.withItemStore(new JobRunStore());
    }
    InformerEventSource<DbtRun, DbtJob> informer = new InformerEventSource<>(
        runsConfig
            .withName("job-runs")
            // No managed-by selector: a job's runs come from the API, kubectl and GitOps too.
            .withSecondaryToPrimaryMapper(new JobRunMapper(context.getPrimaryCache()))
            // Only a run appearing, going, changing phase or getting its artifacts saved changes
            // what its jobs show or start.
            .withOnUpdateFilter((newRun, oldRun) -> phase(newRun) != phase(oldRun)
                || JobRunSummary.succeededAndSaved(newRun) != JobRunSummary.succeededAndSaved(oldRun))
            .build(), context);
    runs.readFrom(informer);
    InformerEventSource<DbtEnvironment, DbtJob> environmentInformer = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(DbtEnvironment.class, DbtJob.class)
            .withName("job-environments")
            // A cache only: an environment's change starts no job's pass. A missing one is looked
            // for again by the job itself (RECHECK_NOT_READY), and mapping each environment to its
            // jobs would start thousands of passes at every status write of a shared environment.
            .withSecondaryToPrimaryMapper(environment -> Set.of())
            .build(), context);
    environments.readFrom(environmentInformer);
    return List.of(informer, environmentInformer);
  }

  @Override
  public UpdateControl<DbtJob> reconcile(DbtJob cached, Context<DbtJob> context) {
    // The pass right after a fire is started by the new run's event, often before the cache has
    // the status that fire wrote: start from that write instead of having this pass's refused.
    DbtJob job = ownWrites.freshest(cached);
    if (job.getStatus() == null) {
      job.setStatus(new DbtJobStatus());
    }
    DbtJobStatus status = job.getStatus();
    String before = Json.write(status);
    Instant now = clock.instant();
    status.observedGeneration = job.getMetadata().getGeneration();
    Optional<Duration> recheck = act(job, JobCheck.of(job, client, environments), now);
    JobRunSummary.fill(status, runs.runsOf(job.getMetadata().getNamespace(), job.getMetadata().getName()));
    if (!before.equals(Json.write(status))) {
      Optional<DbtJob> stored = statusWriter.write(DbtJob.class, job);
      if (stored.isEmpty()) {
        return UpdateControl.<DbtJob>noUpdate().rescheduleAfter(STALE_RETRY);
      }
      ownWrites.wrote(job, stored.get());
    }
    UpdateControl<DbtJob> control = UpdateControl.noUpdate();
    recheck.ifPresent(control::rescheduleAfter);
    return control;
  }

  /** Sets the Ready condition, starts what is due; returns when to look again. */
  private Optional<Duration> act(DbtJob job, JobCheck check, Instant now) {
    DbtJobStatus status = job.getStatus();
    if (!check.ready()) {
      setReady(job, Conditions.FALSE, check.reason(), check.message(), now);
      status.nextRunTime = null;
      // an edit of the spec is an event of its own; a missing environment or another job's edit is not
      return check.dependsOnOthers() ? Optional.of(RECHECK_NOT_READY) : Optional.empty();
    }
    if (Boolean.TRUE.equals(job.getSpec().suspend)) {
      setReady(job, Conditions.TRUE, "Suspended", "suspended: neither schedule nor completion trigger starts runs", now);
      status.nextRunTime = null;
      return Optional.empty();
    }
    setReady(job, Conditions.TRUE, "Ready", readyMessage(job, check.cron()), now);
    Optional<Instant> next = schedule(job, check.cron(), now);
    startTriggeredRuns(job, now);
    Duration untilNext = next.map(n -> untilFire(clock.instant(), n)).orElse(RECHECK_READY);
    return Optional.of(untilNext.compareTo(RECHECK_READY) < 0 ? untilNext : RECHECK_READY);
  }

  /**
   * The wait for the next fire, measured after the pass's API calls. Never negative: a pass that
   * ends after the fire (a slow API server, a busy machine) must look again at once, and JOSDK's
   * timer refuses a negative delay with an exception after the job's earlier timer is already
   * cancelled, which leaves the job with no timer: it fires again only when some other event
   * about it arrives. Rounded up to the millisecond, the timer's unit: rounded down, the pass
   * would come just before the fire, find nothing due and have to be run again.
   */
  static Duration untilFire(Instant now, Instant fire) {
    Duration wait = Duration.between(now, fire);
    if (wait.isNegative()) {
      return Duration.ZERO;
    }
    Duration whole = Duration.ofMillis(wait.toMillis());
    return whole.equals(wait) ? whole : whole.plusMillis(1);
  }

  // ---- schedule ------------------------------------------------------------------------------

  /** Starts the due fire, if any; records it and the next fire in status. @return the next fire */
  private Optional<Instant> schedule(DbtJob job, Cron cron, Instant now) {
    DbtJobStatus status = job.getStatus();
    if (cron == null) {
      status.nextRunTime = null;
      return Optional.empty();
    }
    String uid = job.getMetadata().getUid();
    Instant started = later(instant(status.lastScheduleTime), ledger.started(uid));
    ScheduleDecision decision = ScheduleDecision.decide(cron, created(job, now), later(started, ledger.handled(uid)),
        now, catchUp);
    if (decision.due().isPresent()) {
      Instant fire = decision.due().get();
      DbtRun run = JobRunFactory.scheduled(job, fire);
      Outcome outcome = knownRun(job, run) ? Outcome.ALREADY_EXISTED : create(run);
      metrics.fired(Trigger.SCHEDULE, outcome);
      if (outcome == Outcome.CREATED) {
        metrics.scheduleSkew(Duration.between(fire, clock.instant()));
      }
      ledger.recordStarted(uid, fire);
      started = fire;
    }
    decision.missed().ifPresent(fire -> {
      log.warn("DbtJob {}/{}: the fire at {} was missed by more than {}s and is skipped; next fire at {}",
          job.getMetadata().getNamespace(), job.getMetadata().getName(), fire, catchUp.toSeconds(), decision.next());
      metrics.fired(Trigger.SCHEDULE, Outcome.SKIPPED_MISSED);
      ledger.recordMissed(uid, fire);
    });
    status.lastScheduleTime = started == null ? null : started.toString();
    status.nextRunTime = decision.next().toString();
    return Optional.of(decision.next());
  }

  // ---- completion trigger --------------------------------------------------------------------

  /** Starts one run for each recently ended run of the upstream job that the trigger names. */
  private void startTriggeredRuns(DbtJob job, Instant now) {
    String upstream = CompletionTriggers.upstreamJob(job);
    if (upstream == null) {
      return;
    }
    String namespace = job.getMetadata().getNamespace();
    Set<String> existing = runs.runsOf(namespace, job.getMetadata().getName()).stream()
        .map(run -> run.getMetadata().getName())
        .collect(Collectors.toSet());
    for (DbtRun ended : CompletionTriggers.due(job, created(job, now), runs.runsOf(namespace, upstream), now, catchUp)) {
      DbtRun run = JobRunFactory.triggered(job, ended, upstream);
      // a run that exists was started by an earlier pass: not a fire of its own
      if (!existing.contains(run.getMetadata().getName())) {
        metrics.fired(Trigger.COMPLETION, create(run));
      }
    }
  }

  // ---- shared --------------------------------------------------------------------------------

  private boolean knownRun(DbtJob job, DbtRun run) {
    return runs.runsOf(job.getMetadata().getNamespace(), job.getMetadata().getName()).stream()
        .anyMatch(r -> r.getMetadata().getName().equals(run.getMetadata().getName()));
  }

  /** Creates the run; AlreadyExists means another pass or replica handled the same fire first. */
  private Outcome create(DbtRun run) {
    try {
      client.resource(run).create();
      log.info("DbtRun {}/{} created: {}", run.getMetadata().getNamespace(), run.getMetadata().getName(),
          run.getSpec().runReason);
      return Outcome.CREATED;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return Outcome.ALREADY_EXISTED;
      }
      throw e;
    }
  }

  private void setReady(DbtJob job, String value, String reason, String message, Instant now) {
    Conditions.set(job.getStatus().conditions, job.getMetadata().getGeneration(), READY, value, reason, message, now);
  }

  private static String readyMessage(DbtJob job, Cron cron) {
    String upstream = CompletionTriggers.upstreamJob(job);
    if (cron == null && upstream == null) {
      return "environment found; runs start through the API or kubectl";
    }
    return "environment found; runs start"
        + (cron == null ? "" : " on schedule '" + cron.expression() + "' (UTC)")
        + (cron != null && upstream != null ? " and" : "")
        + (upstream == null ? "" : " when runs of job " + upstream + " end as "
            + CompletionTriggers.statuses(job).stream().map(Enum::name).collect(Collectors.joining(" or ")));
  }

  /** Fires before the job existed are not its own; a job not read from the API counts as new. */
  private static Instant created(DbtJob job, Instant now) {
    Instant created = instant(job.getMetadata().getCreationTimestamp());
    return created == null ? now : created;
  }

  private static Instant instant(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Instant later(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isAfter(b) ? a : b;
  }

  private static RunPhase phase(DbtRun run) {
    return run.getStatus() == null ? null : run.getStatus().phase;
  }
}
