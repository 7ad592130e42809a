package dev.dbtplatform.operator.run;

import dev.dbtplatform.contract.FlushConfig;
import dev.dbtplatform.contract.FlushReport;
import dev.dbtplatform.contract.ObjectKeys;
import dev.dbtplatform.contract.Json;
import dev.dbtplatform.contract.RunSummary;
import dev.dbtplatform.contract.StepResult;
import dev.dbtplatform.crd.DbtEnvironment;
import dev.dbtplatform.crd.DbtJob;
import dev.dbtplatform.crd.DbtProject;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunStatus;
import dev.dbtplatform.crd.RunLogs;
import dev.dbtplatform.crd.RunPhase;
import dev.dbtplatform.crd.RunStepStatus;
import dev.dbtplatform.operator.OperatorConfig;
import dev.dbtplatform.operator.cache.CachedLookup;
import dev.dbtplatform.operator.metrics.RunMetrics;
import dev.dbtplatform.operator.resources.FlushJobFactory;
import dev.dbtplatform.operator.resources.ResourceNames;
import dev.dbtplatform.operator.resources.RunLabels;
import dev.dbtplatform.operator.resources.RunPodFactory;
import dev.dbtplatform.operator.resources.RunVolumeFactory;
import dev.dbtplatform.operator.status.OwnWrites;
import dev.dbtplatform.operator.status.StatusWriter;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives a DbtRun: resolve the spec into a snapshot, create the volume and pod, follow the pod
 * into the run's status, stop it on cancel or timeout, then flush logs and artifacts with a Job
 * and release the volume. Every pass reads the world and takes the next step, so a restarted
 * operator, a duplicate event or a lost status write all lead to the same place. The operator
 * only ever writes status; the spec belongs to whoever applied it.
 */
public final class DbtRunReconciler implements Reconciler<DbtRun> {
  private static final Logger log = LoggerFactory.getLogger(DbtRunReconciler.class);

  static final String JOB_NAME_LABEL = "job-name";
  private static final Duration RECHECK = Duration.ofSeconds(5);
  private static final Duration FLUSH_WATCH = Duration.ofSeconds(30);
  private static final Duration STALE_RETRY = Duration.ofMillis(200);
  /**
   * How often a waiting run looks again by itself. Wake-ups normally let it go the moment the run
   * ahead ends; this catches what sends none, such as a run ahead deleted while it ran.
   */
  private static final Duration WAIT_RECHECK = Duration.ofSeconds(30);

  private final OperatorConfig config;
  private final RunCluster cluster;
  private final RunResolver resolver;
  private final RunMetrics metrics;
  private final ObjectStoreCredentials credentials;
  private final StatusWriter statusWriter;
  private final OwnWrites<DbtRun> ownWrites;
  private final RunEvents events;
  private final QueueWakeups wakeups = new QueueWakeups();
  private final RunTurns turns;
  private final CachedLookup<DbtProject> projects;
  private final CachedLookup<DbtEnvironment> environments;
  private final Clock clock;

  public DbtRunReconciler(KubernetesClient client, OperatorConfig config, RunMetrics metrics, Clock clock) {
    this.config = config;
    this.cluster = new RunCluster(client);
    this.statusWriter = new StatusWriter(client);
    this.ownWrites = new OwnWrites<>(run -> client.getKubernetesSerialization().clone(run));
    this.events = new RunEvents(client);
    this.metrics = metrics;
    this.clock = clock;
    this.turns = new RunTurns(config.runSlots(), cluster, config.namespaces(), wakeups);
    this.credentials = new ObjectStoreCredentials(client, config.objectStore().credentialsNamespace(),
        config.objectStore().credentialsSecret());
    // Every run resolves its project and environment: from caches, not a request each (a run
    // created right after its environment, before the cache has it, asks the API).
    this.projects = new CachedLookup<>((ns, name) -> Optional.ofNullable(
        client.resources(DbtProject.class).inNamespace(ns).withName(name).get()), CachedLookup.OnMiss.ASK_THE_API);
    this.environments = new CachedLookup<>((ns, name) -> Optional.ofNullable(
        client.resources(DbtEnvironment.class).inNamespace(ns).withName(name).get()), CachedLookup.OnMiss.ASK_THE_API);
    this.resolver = new RunResolver(config, projects::find, environments::find,
        (ns, name) -> Optional.ofNullable(client.resources(DbtJob.class).inNamespace(ns).withName(name).get()),
        ns -> client.resources(DbtJob.class).inNamespace(ns).list().getItems(),
        clock);
  }

  @Override
  public List<EventSource<?, DbtRun>> prepareEventSources(EventSourceContext<DbtRun> context) {
    metrics.readRunsFrom(() -> context.getPrimaryCache().list().toList());
    InformerEventSource<DbtProject, DbtRun> projectCache = cacheOnly(context, DbtProject.class, "run-projects");
    InformerEventSource<DbtEnvironment, DbtRun> environmentCache =
        cacheOnly(context, DbtEnvironment.class, "run-environments");
    projects.readFrom(projectCache);
    environments.readFrom(environmentCache);
    return List.of(
        informer(context, Pod.class, "pods"),
        informer(context, PersistentVolumeClaim.class, "volumes"),
        informer(context, Job.class, "flush-jobs"),
        projectCache,
        environmentCache,
        wakeups);
  }

  /**
   * An informer kept for reading only: a change starts no run's pass. Runs resolve once, and one
   * waiting for a missing reference looks again by itself.
   */
  private static <R extends io.fabric8.kubernetes.api.model.HasMetadata> InformerEventSource<R, DbtRun> cacheOnly(
      EventSourceContext<DbtRun> context, Class<R> type, String name) {
    return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, DbtRun.class)
        .withName(name)
        .withSecondaryToPrimaryMapper(resource -> Set.of())
        .build(), context);
  }

  private static <R extends io.fabric8.kubernetes.api.model.HasMetadata> InformerEventSource<R, DbtRun> informer(
      EventSourceContext<DbtRun> context, Class<R> type, String name) {
    return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, DbtRun.class)
        .withName(name)
        .withLabelSelector(RunLabels.MANAGED_SELECTOR)
        .withSecondaryToPrimaryMapper(new RunSecondaryMapper<>())
        .build(), context);
  }

  /**
   * Reads the world, decides, writes status, then deletes what the new status says is done with.
   * The run is the cached one, or the operator's own last write of it while the cache lags behind
   * that. The status write is refused when the run changed since it was read; nothing is deleted
   * then, and the next reconcile starts again from the fresh run.
   */
  @Override
  public UpdateControl<DbtRun> reconcile(DbtRun cached, Context<DbtRun> context) {
    DbtRun run = ownWrites.freshest(cached);
    if (run.getStatus() == null) {
      run.setStatus(new DbtRunStatus());
    }
    String before = Json.write(run.getStatus());
    var flushBefore = RunConditions.find(run.getStatus(), RunConditions.LOGS_FLUSHED);
    RunView view = new RunView(run, context, run.getStatus().phase, new ArrayList<>());
    // Read as ended, and its flush not begun: the first passes after it ended (or one that never had a
    // volume). The cache holds it ended now, so the runs it held back can see their turn came.
    boolean justEnded = view.wasTerminal() && (run.getStatus().logs == null || run.getStatus().logs.attempts == null);
    Instant now = clock.instant();
    Optional<Duration> recheck = advance(view, now);
    boolean changed = !before.equals(Json.write(run.getStatus()));
    if (changed) {
      Optional<DbtRun> stored = statusWriter.write(DbtRun.class, run);
      if (stored.isEmpty()) {
        return UpdateControl.<DbtRun>noUpdate().rescheduleAfter(STALE_RETRY);
      }
      ownWrites.wrote(run, stored.get());
      events.recordChanges(run, view.phaseRead(), flushBefore, now);
      metrics.recordChanges(run.getStatus(), view.phaseRead());
    }
    view.afterStatusWrite().forEach(Runnable::run);
    if (justEnded) {
      turns.wakeRunsBehind(run, context);
    }
    UpdateControl<DbtRun> control = UpdateControl.noUpdate();
    recheck.ifPresent(control::rescheduleAfter);
    return control;
  }

  /**
   * One run, what the caches hold of it, the phase it had when read, and the deletions to make
   * once its new status is stored.
   */
  private record RunView(DbtRun run, Context<DbtRun> context, RunPhase phaseRead, List<Runnable> afterStatusWrite) {
    /** Whether the run was already final when read, so its final status is stored. */
    boolean wasTerminal() {
      return phaseRead != null && phaseRead.isTerminal();
    }

    void deleteAfterStatusWrite(Runnable deletion) {
      afterStatusWrite.add(deletion);
    }

    DbtRunStatus status() {
      return run.getStatus();
    }

    String namespace() {
      return run.getMetadata().getNamespace();
    }

    String name() {
      return run.getMetadata().getName();
    }

    <R extends io.fabric8.kubernetes.api.model.HasMetadata> Optional<R> cached(Class<R> type, String name) {
      return context.getSecondaryResources(type).stream()
          .filter(r -> name.equals(r.getMetadata().getName()))
          .findFirst();
    }
  }

  private Optional<Duration> advance(RunView view, Instant now) {
    DbtRunStatus status = view.status();
    status.observedGeneration = view.run().getMetadata().getGeneration();
    if (status.phase == null) {
      status.phase = RunPhase.Queued;
    }
    if (!status.phase.isTerminal()) {
      if (status.resolved == null) {
        Optional<Duration> waiting = resolve(view, now);
        if (waiting.isPresent() || status.phase.isTerminal()) {
          return waiting.isPresent() ? waiting : flush(view, now);
        }
      }
      Optional<Duration> next = drive(view, now);
      if (!status.phase.isTerminal()) {
        return next;
      }
    }
    return flush(view, now);
  }

  // ---- resolve -------------------------------------------------------------------------------

  private Optional<Duration> resolve(RunView view, Instant now) {
    DbtRun run = view.run();
    if (run.getSpec() != null && run.getSpec().isCancelRequested()) {
      finish(view, RunPhase.Cancelled, "Cancelled", "cancelled before it started", now);
      return Optional.empty();
    }
    Resolution resolution = resolver.resolve(run);
    if (resolution instanceof Resolution.Invalid invalid) {
      RunConditions.set(run, RunConditions.RESOLVED, RunConditions.FALSE, "InvalidSpec", invalid.message(), now);
      finish(view, RunPhase.Failed, "InvalidSpec", invalid.message(), now);
      log.info("DbtRun {}/{} is invalid: {}", view.namespace(), view.name(), invalid.message());
      return Optional.empty();
    }
    if (resolution instanceof Resolution.Waiting waiting) {
      Instant created = Durations.parse(run.getMetadata().getCreationTimestamp());
      if (created != null && Duration.between(created, now).compareTo(config.referenceWait()) > 0) {
        String message = waiting.message() + " after waiting " + Durations.human(config.referenceWait());
        RunConditions.set(run, RunConditions.RESOLVED, RunConditions.FALSE, "ReferenceNotFound", message, now);
        finish(view, RunPhase.Failed, "ReferenceNotFound", message, now);
        return Optional.empty();
      }
      RunConditions.set(run, RunConditions.RESOLVED, RunConditions.FALSE, "ReferenceNotFound", waiting.message(), now);
      view.status().reason = "ReferenceNotFound";
      view.status().message = waiting.message();
      return Optional.of(RECHECK);
    }
    view.status().resolved = ((Resolution.Resolved) resolution).run();
    view.status().reason = null;
    view.status().message = null;
    RunConditions.set(run, RunConditions.RESOLVED, RunConditions.TRUE, "Resolved",
        "resolved against " + describeSources(view.status().resolved), now);
    return Optional.empty();
  }

  private static String describeSources(dev.dbtplatform.crd.ResolvedRun r) {
    List<String> parts = new ArrayList<>();
    if (r.jobName != null) {
      parts.add("DbtJob " + r.jobName);
    }
    if (r.environmentName != null) {
      parts.add("DbtEnvironment " + r.environmentName);
    }
    if (r.projectName != null) {
      parts.add("DbtProject " + r.projectName);
    }
    if (parts.isEmpty()) {
      return "the run's own spec";
    }
    String last = parts.remove(parts.size() - 1);
    return parts.isEmpty() ? last : String.join(", ", parts) + " and " + last;
  }

  // ---- drive the pod -------------------------------------------------------------------------

  private Optional<Duration> drive(RunView view, Instant now) {
    DbtRun run = view.run();
    DbtRunStatus status = view.status();
    // A pod the run never recorded and is not to stop needs no read from the API: creating it finds it.
    Optional<Pod> pod = status.podUid != null || run.getSpec().isCancelRequested() ? runPod(view) : cachedRunPod(view);

    if (run.getSpec().isCancelRequested()) {
      pod.filter(p -> !PodOutcome.of(p).isFinished())
          .ifPresent(p -> view.deleteAfterStatusWrite(() -> cluster.deletePod(p)));
      finish(view, RunPhase.Cancelled, "Cancelled", "cancelled through spec.cancel", now);
      return Optional.empty();
    }
    if (pod.isEmpty()) {
      if (status.podUid != null) {
        finish(view, RunPhase.Failed, "PodDeleted",
            "the run pod " + status.podName + " was deleted before the run finished", now);
        return Optional.empty();
      }
      Optional<Duration> notYet = takeTurn(view, now);
      if (notYet.isPresent() || status.phase.isTerminal()) {
        return notYet;
      }
      return createPod(view, now);
    }
    Pod p = pod.get();
    if (!RunLabels.isOwnedBy(p, run)) {
      // A pod of an earlier run of the same name, still being removed: wait for it to go.
      status.message = "waiting for pod " + p.getMetadata().getName() + " of an earlier run with this name to be removed";
      return Optional.of(RECHECK);
    }
    if (status.podUid == null) {
      adopt(view, p, now);
    } else if (!status.podUid.equals(p.getMetadata().getUid())) {
      finish(view, RunPhase.Failed, "PodReplaced", "the run pod " + p.getMetadata().getName()
          + " was replaced by another pod; a run never starts twice", now);
      return Optional.empty();
    }

    PodOutcome outcome = PodOutcome.of(p);
    if (outcome.isFinished()) {
      recordResult(view, outcome, now);
      return Optional.empty(); // the flush deletes the pod once this result is stored
    }
    if (outcome.isRunning()) {
      return running(view, p, outcome, now);
    }
    return starting(view, p, outcome, now);
  }

  /**
   * Applies the queueing rules before the pod is created: the run waits (a recheck is returned),
   * ends as superseded, or goes on (empty, and still Queued).
   */
  private Optional<Duration> takeTurn(RunView view, Instant now) {
    Turn turn = turns.turnOf(view.run(), view.context());
    if (turn instanceof Turn.Wait wait) {
      QueueStatus.waiting(view.run(), wait, now);
      return Optional.of(WAIT_RECHECK);
    }
    if (turn instanceof Turn.Superseded superseded) {
      finish(view, RunPhase.Cancelled, RunQueue.SUPERSEDED, "superseded by the newer scheduled run "
          + superseded.newerRun() + " of job " + superseded.jobName() + " before it started", now);
      return Optional.empty();
    }
    // The wait ends now, by the operator's clock like its start (a pod's creation time has whole seconds only).
    QueueStatus.left(view.run(), "Dequeued", "its turn came", now, now);
    return Optional.empty();
  }

  private Optional<Pod> cachedRunPod(RunView view) {
    return view.cached(Pod.class, ResourceNames.runPod(view.name()))
        .filter(p -> RunLabels.COMPONENT_RUN.equals(RunLabels.component(p)));
  }

  private Optional<Pod> runPod(RunView view) {
    Optional<Pod> cached = cachedRunPod(view);
    // The cache may not have caught up with a pod just created: ask the API before concluding.
    return cached.isPresent() ? cached : cluster.livePod(view.namespace(), ResourceNames.runPod(view.name()));
  }

  private Optional<Duration> createPod(RunView view, Instant now) {
    DbtRun run = view.run();
    DbtRunStatus status = view.status();
    PersistentVolumeClaim volume = cluster.createOrGet(
        RunVolumeFactory.build(run, config.runVolumeSize(), config.storageClass()));
    if (!RunLabels.isOwnedBy(volume, run)) {
      status.message = "waiting for volume " + volume.getMetadata().getName() + " of an earlier run with this name to be removed";
      return Optional.of(RECHECK);
    }
    status.volumeName = volume.getMetadata().getName();
    if (status.resolved.deferral != null && status.resolved.deferral.run != null) {
      try {
        credentials.ensureIn(view.namespace()); // the init container fetches the deferred manifest with them
      } catch (IllegalStateException e) {
        status.message = e.getMessage() + "; the run waits for them to fetch the state it defers to";
        return Optional.of(RECHECK);
      }
    }
    Pod pod = cluster.createOrGet(RunPodFactory.build(run, status.resolved, config));
    if (!RunLabels.isOwnedBy(pod, run)) {
      status.message = "waiting for pod " + pod.getMetadata().getName() + " of an earlier run with this name to be removed";
      return Optional.of(RECHECK);
    }
    adopt(view, pod, now);
    log.info("DbtRun {}/{}: created pod {}", view.namespace(), view.name(), pod.getMetadata().getName());
    return Optional.of(config.startTimeout());
  }

  /** Records the pod as the run's own: after a create, or after a restart that lost the status write. */
  private void adopt(RunView view, Pod pod, Instant now) {
    DbtRunStatus status = view.status();
    status.podName = pod.getMetadata().getName();
    status.podUid = pod.getMetadata().getUid();
    status.volumeName = ResourceNames.runVolume(view.name());
    status.podCreatedAt = pod.getMetadata().getCreationTimestamp() != null
        ? pod.getMetadata().getCreationTimestamp() : now.toString();
    status.queuedSeconds = Durations.secondsBetween(view.run().getMetadata().getCreationTimestamp(), status.podCreatedAt);
    // Normally recorded when the turn came; this covers a restart that lost that status write.
    QueueStatus.left(view.run(), "Dequeued", "its turn came: pod " + status.podName + " created",
        Durations.parse(status.podCreatedAt), now);
    if (status.phase == RunPhase.Queued) {
      status.phase = RunPhase.Starting;
      status.reason = null; // a reason it waited for, if any, is over
      status.message = "pod " + status.podName + " created";
    }
  }

  private Optional<Duration> starting(RunView view, Pod pod, PodOutcome outcome, Instant now) {
    DbtRunStatus status = view.status();
    status.phase = RunPhase.Starting;
    Instant created = Durations.parse(status.podCreatedAt);
    Duration waited = created == null ? Duration.ZERO : Duration.between(created, now);
    if (outcome.isStuck()) {
      String reason = outcome.waiting().getReason();
      String message = "the run pod cannot start: " + reason
          + (outcome.waiting().getMessage() == null ? "" : ": " + outcome.waiting().getMessage());
      status.message = message;
      if (waited.compareTo(config.startTimeout()) >= 0) {
        view.deleteAfterStatusWrite(() -> cluster.deletePod(pod));
        finish(view, RunPhase.Failed, reason, message + " (for " + Durations.human(waited) + ")", now);
        return Optional.empty();
      }
    }
    Duration left = config.startTimeout().minus(waited);
    return Optional.of(left.isNegative() ? RECHECK : left.plusSeconds(1));
  }

  private Optional<Duration> running(RunView view, Pod pod, PodOutcome outcome, Instant now) {
    DbtRun run = view.run();
    DbtRunStatus status = view.status();
    if (status.phase != RunPhase.Running) {
      status.phase = RunPhase.Running;
      status.startedAt = outcome.startedAt();
      status.prepSeconds = Durations.secondsBetween(status.podCreatedAt, status.startedAt);
      status.message = "dbt is running";
      RunConditions.set(run, RunConditions.RUNNING, RunConditions.TRUE, "PodRunning",
          "dbt is running in pod " + status.podName, now);
    }
    long timeout = status.resolved.timeoutSeconds == null ? 0 : status.resolved.timeoutSeconds;
    if (timeout <= 0) {
      return Optional.empty();
    }
    // The runtime stops itself at the timeout and writes its summary; the operator steps in
    // only if it has not, a grace period later.
    Instant deadline = Durations.parse(status.startedAt).plusSeconds(timeout).plus(config.timeoutGrace());
    if (now.isBefore(deadline)) {
      return Optional.of(Duration.between(now, deadline).plusMillis(500));
    }
    view.deleteAfterStatusWrite(() -> cluster.deletePod(pod));
    finish(view, RunPhase.Failed, "Timeout", "the run exceeded its timeout of " + timeout + "s and was stopped", now);
    return Optional.empty();
  }

  private void recordResult(RunView view, PodOutcome outcome, Instant now) {
    DbtRunStatus status = view.status();
    if (status.startedAt == null) {
      status.startedAt = outcome.startedAt();
      status.prepSeconds = Durations.secondsBetween(status.podCreatedAt, status.startedAt);
    }
    Instant finished = outcome.finishedAt() == null ? now : Instant.parse(outcome.finishedAt());
    Optional<RunSummary> summary = outcome.summary();
    summary.ifPresent(s -> applySummary(status, s));
    if (summary.isEmpty()) {
      String reason = outcome.podReason() != null ? outcome.podReason() : "RuntimeError";
      String message = "the run runtime exited with code " + outcome.exitCode() + " without a summary"
          + (outcome.podMessage() == null ? "" : ": " + outcome.podMessage());
      if ("Succeeded".equals(outcome.phase())) {
        finish(view, RunPhase.Succeeded, "Succeeded", "the run pod succeeded", finished);
      } else {
        finish(view, RunPhase.Failed, reason, message, finished);
      }
      return;
    }
    RunSummary s = summary.get();
    switch (s.outcome()) {
      case Succeeded -> finish(view, RunPhase.Succeeded, "Succeeded", "all " + s.steps().size() + " steps succeeded", finished);
      case TimedOut -> finish(view, RunPhase.Failed, "Timeout", orDefault(s.message(), "the run exceeded its timeout"), finished);
      case Cancelled -> finish(view, RunPhase.Failed, "Terminated",
          "the run pod was stopped before the run finished", finished);
      case Failed -> finish(view, RunPhase.Failed, orDefault(s.reason(), "StepFailed"),
          orDefault(s.message(), "a step failed"), finished);
    }
  }

  private static void applySummary(DbtRunStatus status, RunSummary summary) {
    status.gitSha = summary.gitSha() != null ? summary.gitSha() : status.gitSha;
    status.gitBranch = summary.gitBranch() != null ? summary.gitBranch() : status.gitBranch;
    List<RunStepStatus> steps = new ArrayList<>();
    for (StepResult r : summary.steps()) {
      RunStepStatus step = new RunStepStatus();
      step.index = r.index();
      step.name = r.name();
      step.command = r.command();
      step.status = r.status() == null ? null : r.status().name();
      step.startedAt = r.startedAt() == null ? null : r.startedAt().toString();
      step.finishedAt = r.finishedAt() == null ? null : r.finishedAt().toString();
      step.exitCode = r.exitCode();
      steps.add(step);
    }
    status.steps = steps;
  }

  // ---- final phase ---------------------------------------------------------------------------

  private void finish(RunView view, RunPhase phase, String reason, String message, Instant finishedAt) {
    DbtRun run = view.run();
    DbtRunStatus status = view.status();
    status.phase = phase;
    status.reason = reason;
    status.message = message;
    if (status.finishedAt == null) {
      status.finishedAt = finishedAt.toString();
    }
    if (QueueStatus.isWaiting(status)) {
      QueueStatus.left(run, reason, message, finishedAt, clock.instant());
    }
    status.runSeconds = Durations.secondsBetween(status.startedAt, status.finishedAt);
    Instant created = Durations.parse(run.getMetadata().getCreationTimestamp());
    if (created != null) {
      status.duration = Durations.human(Duration.between(created, finishedAt));
    }
    Instant now = clock.instant();
    if (RunConditions.find(status, RunConditions.RUNNING) != null) {
      RunConditions.set(run, RunConditions.RUNNING, RunConditions.FALSE, reason, "dbt is no longer running", now);
    }
    RunConditions.set(run, RunConditions.COMPLETE, RunConditions.TRUE, reason, message, now);
    if (phase == RunPhase.Failed) {
      RunConditions.set(run, RunConditions.FAILED, RunConditions.TRUE, reason, message, now);
    }
    log.info("DbtRun {}/{} {}: {} ({})", view.namespace(), view.name(), phase, message, reason);
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }

  // ---- flush ---------------------------------------------------------------------------------

  /**
   * Uploads the run volume with a log-flush Job and then releases the volume. The volume is
   * deleted only after the Job confirmed the upload; a failed Job is followed by a new one
   * after a growing wait, for as long as it takes.
   */
  private Optional<Duration> flush(RunView view, Instant now) {
    DbtRun run = view.run();
    DbtRunStatus status = view.status();
    if (status.volumeName == null) {
      // The status write that recorded the volume may have been lost (the run changed under it,
      // say a cancel just after the pod was created): a volume of this run still needs its flush.
      String volume = ResourceNames.runVolume(view.name());
      if (cluster.liveVolume(view.namespace(), volume).filter(v -> RunLabels.isOwnedBy(v, run)).isEmpty()) {
        return Optional.empty(); // the run never got a volume: nothing to flush
      }
      status.volumeName = volume;
    }
    if (!view.wasTerminal()) {
      return Optional.of(STALE_RETRY); // store the final status first; the flush starts from it
    }
    RunLogs logs = status.logs == null ? new RunLogs() : status.logs;
    status.logs = logs;
    if (logs.flushedAt != null) {
      releaseCachedVolume(view);
      return Optional.empty();
    }
    // A flush Job is created only once the run pod was seen gone, and an ended run never gets
    // another: from the first attempt on there is no pod to look for (live, when the cache lacks it).
    Optional<Pod> pod = logs.attempts != null ? Optional.empty()
        : runPod(view).filter(p -> RunLabels.isOwnedBy(p, run));
    if (pod.isPresent()) {
      // The result is stored: stop or remove the run pod, and wait until it is gone (its
      // runtime may still be writing the summary, and the volume must be free for the flush).
      if (pod.get().getMetadata().getDeletionTimestamp() == null) {
        cluster.deletePod(pod.get());
      }
      return Optional.of(RECHECK);
    }
    String prefix = ObjectKeys.runPrefix(config.objectStore().keyPrefix(), status.resolved == null
        ? config.defaultAccountId() : status.resolved.accountId, view.namespace(), view.name(), run.getMetadata().getUid());
    logs.bucket = config.objectStore().bucket();
    logs.prefix = prefix;

    if (logs.currentJob == null) {
      Instant nextAttempt = Durations.parse(logs.nextAttemptAt);
      if (nextAttempt != null && now.isBefore(nextAttempt)) {
        return Optional.of(Duration.between(now, nextAttempt).plusMillis(200));
      }
      int attempt = (logs.attempts == null ? 0 : logs.attempts) + 1;
      OperatorConfig.ObjectStore store = config.objectStore();
      FlushConfig flushConfig = new FlushConfig(store.endpoint(), store.region(), store.bucket(), store.pathStyle(),
          prefix, store.retrySeconds());
      try {
        credentials.ensureIn(view.namespace());
      } catch (IllegalStateException e) {
        RunConditions.set(run, RunConditions.LOGS_FLUSHED, RunConditions.FALSE, "CredentialsMissing",
            e.getMessage() + "; the run volume is kept until logs can be flushed", now);
        return Optional.of(FLUSH_WATCH);
      }
      Job job = cluster.createOrGet(FlushJobFactory.build(run, attempt, flushConfig, config));
      logs.attempts = attempt;
      logs.currentJob = job.getMetadata().getName();
      logs.nextAttemptAt = null;
      RunConditions.set(run, RunConditions.LOGS_FLUSHED, RunConditions.FALSE, "Flushing",
          "uploading logs and artifacts with Job " + logs.currentJob + " (attempt " + attempt + ")", now);
      return Optional.of(FLUSH_WATCH);
    }

    Optional<Job> job = view.cached(Job.class, logs.currentJob);
    if (job.isEmpty()) {
      job = cluster.liveJob(view.namespace(), logs.currentJob);
    }
    if (job.isEmpty()) {
      logs.currentJob = null; // removed by someone: start another attempt
      return Optional.of(Duration.ofSeconds(1));
    }
    if (hasCondition(job.get(), "Complete")) {
      flushed(view, job.get(), now);
      return Optional.empty();
    }
    if (hasCondition(job.get(), "Failed")) {
      flushFailed(view, job.get(), now);
      return Optional.of(Duration.between(now, Instant.parse(logs.nextAttemptAt)).plusMillis(200));
    }
    return Optional.of(FLUSH_WATCH);
  }

  private void flushed(RunView view, Job job, Instant now) {
    DbtRun run = view.run();
    DbtRunStatus status = view.status();
    RunLogs logs = status.logs;
    Optional<FlushReport> report = flushPodMessage(view, job.getMetadata().getName(), "Succeeded").flatMap(m -> {
      try {
        return Optional.of(FlushReport.fromJson(m));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    });
    report.ifPresent(r -> {
      logs.objects = r.objects();
      logs.bytes = r.bytes();
      logs.flushedAt = r.flushedAt() == null ? now.toString() : r.flushedAt().toString();
      // The pod may have vanished before its summary was read (cancel, deletion): take the one on the volume.
      if (r.summary() != null && (status.steps == null || status.steps.isEmpty())) {
        applySummary(status, r.summary());
      }
    });
    if (logs.flushedAt == null) {
      logs.flushedAt = now.toString();
    }
    logs.location = "s3://" + logs.bucket + "/" + logs.prefix;
    logs.currentJob = null;
    logs.nextAttemptAt = null;
    for (RunStepStatus step : status.steps) {
      if (step.index != null && step.startedAt != null) {
        step.logLocation = "s3://" + logs.bucket + "/" + ObjectKeys.stepLog(logs.prefix, step.index);
        if (step.command != null) {
          step.artifactsLocation = "s3://" + logs.bucket + "/" + ObjectKeys.stepArtifactsPrefix(logs.prefix, step.index);
        }
      }
    }
    RunConditions.set(run, RunConditions.LOGS_FLUSHED, RunConditions.TRUE, "Flushed",
        "logs and artifacts are at " + logs.location, now);
    String jobName = job.getMetadata().getName();
    view.deleteAfterStatusWrite(() -> cluster.deleteJob(view.namespace(), jobName));
    view.deleteAfterStatusWrite(() -> releaseVolume(view));
    log.info("DbtRun {}/{}: logs flushed to {}", view.namespace(), view.name(), logs.location);
  }

  private void flushFailed(RunView view, Job job, Instant now) {
    RunLogs logs = view.status().logs;
    int attempts = logs.attempts == null ? 1 : logs.attempts;
    Duration wait = config.flushBackoff().multipliedBy(1L << Math.min(attempts - 1, 10));
    if (wait.compareTo(config.flushBackoffMax()) > 0) {
      wait = config.flushBackoffMax();
    }
    logs.nextAttemptAt = now.plus(wait).toString();
    logs.currentJob = null;
    String cause = flushPodMessage(view, job.getMetadata().getName(), "Failed")
        .map(String::strip).filter(m -> !m.isEmpty())
        .orElseGet(() -> job.getStatus().getConditions().stream().filter(c -> "Failed".equals(c.getType()))
            .map(c -> c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage())).findFirst().orElse("unknown"));
    RunConditions.set(view.run(), RunConditions.LOGS_FLUSHED, RunConditions.FALSE, "FlushFailed",
        "attempt " + attempts + " failed (" + cause + "); retrying at " + logs.nextAttemptAt
            + "; the run volume is kept until the upload succeeds", now);
    String jobName = job.getMetadata().getName();
    view.deleteAfterStatusWrite(() -> cluster.deleteJob(view.namespace(), jobName));
    log.warn("DbtRun {}/{}: log flush attempt {} failed: {}", view.namespace(), view.name(), attempts, cause);
  }

  private void releaseVolume(RunView view) {
    String name = view.status().volumeName;
    view.cached(PersistentVolumeClaim.class, name).or(() -> cluster.liveVolume(view.namespace(), name))
        .ifPresent(cluster::deleteVolume);
  }

  /**
   * Deletes the volume of a flushed run if the cache still holds it: a delete that failed, or one
   * lost to a restart. The flush deleted it after a live look, and the cache holds every volume of
   * the operator once synced (a volume it has not seen yet arrives as an event that reconciles the
   * run again), so a live look here would add an API request to every later event of every finished
   * run, and one per finished run at each operator start, without finding anything more. A volume
   * this operator deleted stays in the cache until its delete event arrives, and the status write
   * before the delete starts a pass of its own before that: it is not deleted twice.
   */
  private void releaseCachedVolume(RunView view) {
    view.cached(PersistentVolumeClaim.class, view.status().volumeName)
        .filter(volume -> !cluster.deletedBefore(volume))
        .ifPresent(cluster::deleteVolume);
  }

  /** The termination message of the Job's last pod in the given phase. */
  private static Optional<String> flushPodMessage(RunView view, String jobName, String phase) {
    return view.context().getSecondaryResources(Pod.class).stream()
        .filter(p -> jobName.equals(labels(p).get(JOB_NAME_LABEL)))
        .filter(p -> p.getStatus() != null && phase.equals(p.getStatus().getPhase()))
        .map(PodOutcome::of)
        .filter(o -> o.terminated() != null && o.terminated().getMessage() != null)
        .max(java.util.Comparator.comparing(o -> orDefault(o.finishedAt(), "")))
        .map(o -> o.terminated().getMessage());
  }

  private static Map<String, String> labels(Pod pod) {
    return pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
  }

  private static boolean hasCondition(Job job, String type) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return false;
    }
    for (JobCondition c : job.getStatus().getConditions()) {
      if (type.equals(c.getType()) && "True".equals(c.getStatus())) {
        return true;
      }
    }
    return false;
  }
}
