package dev.dbtplatform.local.node;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one pod (one UID) from binding to its last container's exit, as a kubelet does, and reports
 * every step through the status subresource. All methods hold the worker's lock; nothing here blocks
 * for long (process exits arrive as callbacks).
 *
 * <p>Lifecycle: bind (spec.nodeName) → Pending with containers waiting ContainerCreating → volumes
 * prepared and env resolved (a missing Secret, ConfigMap or key leaves the containers waiting with
 * CreateContainerConfigError, retried every {@link LocalNodeConfig#retryInterval()}) → init containers
 * one by one → containers started → Running → on exit Succeeded / Failed with each container's exit
 * code, reason Completed / Error and the termination message file's first 4096 bytes. restartPolicy
 * OnFailure and Always restart containers with the kubelet's back-off (10 s doubling to 5 min).
 */
final class PodWorker {
  private static final Logger LOG = LoggerFactory.getLogger(PodWorker.class);
  static final int MAX_TERMINATION_MESSAGE = 4096;
  private static final Duration RESTART_BACKOFF = Duration.ofSeconds(10);
  private static final Duration MAX_RESTART_BACKOFF = Duration.ofMinutes(5);

  private final NodeContext node;
  final String uid;
  final String namespace;
  final String name;
  private Pod pod;
  private final List<ContainerRecord> inits = new ArrayList<>();
  private final List<ContainerRecord> mains = new ArrayList<>();
  private final Map<String, LaunchPlan> plans = new HashMap<>();
  private final Map<String, ScheduledFuture<?>> restarts = new HashMap<>();
  private boolean bound;
  private String unschedulable;
  private Instant startTime;
  private String forcedPhase;
  private String reason;
  private String message;
  private PodFilesystem.Prepared prepared;
  private boolean launched;
  private boolean terminating;
  private boolean deleted;
  private boolean finished;
  private boolean gone;
  private PodStatus written;
  private ScheduledFuture<?> retry;
  private ScheduledFuture<?> deadline;

  private record LaunchPlan(List<String> argv, Map<String, String> env, Path workingDir, Path terminationFile) {}

  PodWorker(NodeContext node, Pod pod) {
    this.node = node;
    this.pod = pod;
    this.uid = pod.getMetadata().getUid();
    this.namespace = pod.getMetadata().getNamespace();
    this.name = pod.getMetadata().getName();
    this.bound = node.config.nodeName().equals(pod.getSpec().getNodeName());
    boolean hasInit = !EnvResolver.nullSafe(pod.getSpec().getInitContainers()).isEmpty();
    for (Container c : EnvResolver.nullSafe(pod.getSpec().getInitContainers())) {
      inits.add(new ContainerRecord(c, true, "PodInitializing"));
    }
    for (Container c : EnvResolver.nullSafe(pod.getSpec().getContainers())) {
      mains.add(new ContainerRecord(c, false, hasInit ? "PodInitializing" : "ContainerCreating"));
    }
    if (!inits.isEmpty()) {
      inits.get(0).waiting("ContainerCreating", null);
    }
  }

  synchronized Pod pod() {
    return pod;
  }

  synchronized boolean isFinished() {
    return finished;
  }

  synchronized boolean isDeleted() {
    return deleted;
  }

  /** Whether the pod still has (or may still get) processes using its claims. */
  synchronized boolean usesClaim(String ns, String claim) {
    return !finished && namespace.equals(ns) && PodFilesystem.claimNames(pod).contains(claim);
  }

  synchronized boolean waitsForClaim(String ns, String claim) {
    return !launched && !finished && !terminating && usesClaim(ns, claim);
  }

  /** Binds, prepares and starts the pod; called again by retries until its containers are launched. */
  synchronized void start() {
    if (finished || terminating || launched || node.closed()) {
      return;
    }
    cancel(retry);
    try {
      List<String> missingClaims = new ArrayList<>();
      for (String claim : PodFilesystem.claimNames(pod)) {
        if (node.lookup.claim(namespace, claim).isEmpty()) {
          missingClaims.add(claim);
        }
      }
      if (!bound) {
        if (!missingClaims.isEmpty()) {
          unschedulable = "persistentvolumeclaim \"" + missingClaims.get(0) + "\" not found";
          writeStatus();
          scheduleRetry();
          return;
        }
        Pod boundPod = node.statusWriter.bind(pod, node.config.nodeName());
        if (boundPod == null) {
          LOG.debug("pod {}/{} vanished before it was bound", namespace, name);
          gone = true;
          finished = true;
          node.onFinished.accept(this);
          return;
        }
        pod = boundPod;
        bound = true;
        unschedulable = null;
      }
      if (startTime == null) {
        startTime = Instant.now();
        scheduleDeadline();
      }
      writeStatus();
      if (!missingClaims.isEmpty()) {
        throw new PodConfigException("persistentvolumeclaim \"" + missingClaims.get(0) + "\" not found");
      }
      prepare();
    } catch (PodConfigException e) {
      waitFor("CreateContainerConfigError", e.getMessage());
      return;
    } catch (IOException e) {
      waitFor("CreateContainerError", e.toString());
      return;
    } catch (RuntimeException e) {
      LOG.warn("pod {}/{}: cannot start yet: {}", namespace, name, e.toString());
      scheduleRetry();
      return;
    }
    launched = true;
    for (ContainerRecord rec : all()) {
      if (rec.isWaiting()) {
        boolean first = rec.init ? inits.indexOf(rec) == 0 : inits.isEmpty();
        rec.waiting(first ? "ContainerCreating" : "PodInitializing", null);
      }
    }
    if (!inits.isEmpty()) {
      startContainer(inits.get(0));
    } else {
      mains.forEach(this::startContainer);
    }
    writeStatus();
  }

  private void prepare() throws PodConfigException, IOException {
    prepared = node.filesystem.prepare(pod);
    plans.clear();
    for (ContainerRecord rec : all()) {
      Container c = rec.spec;
      LinkedHashMap<String, String> podEnv = node.envResolver.podEnv(pod, c);
      PathMapper mapper = prepared.mapperFor(c, podEnv);
      Map<String, String> mappedEnv = new LinkedHashMap<>();
      podEnv.forEach((k, v) -> mappedEnv.put(k, mapper.map(v)));
      Map<String, String> env = EnvResolver.processEnv(node.jvmEnv, node.config, name, mappedEnv);
      List<String> argv = mapper.mapAll(EnvResolver.expandAll(ProcessLauncher.commandLine(c), podEnv));
      Path workingDir = prepared.workingDir(c, mapper);
      if (!podEnv.containsKey("PWD")) {
        env.put("PWD", workingDir.toString());
      }
      env.remove("OLDPWD");
      plans.put(c.getName(), new LaunchPlan(argv, env, workingDir, prepared.terminationFile(c)));
    }
  }

  private void waitFor(String waitingReason, String waitingMessage) {
    LOG.info("pod {}/{}: {}: {}", namespace, name, waitingReason, waitingMessage);
    for (ContainerRecord rec : all()) {
      if (rec.isWaiting()) {
        rec.waiting(waitingReason, waitingMessage);
      }
    }
    writeStatus();
    scheduleRetry();
  }

  private void startContainer(ContainerRecord rec) {
    LaunchPlan plan = plans.get(rec.name());
    String label = namespace + "/" + name + "/" + rec.name();
    Path logFile = node.config.logFile(namespace, name, rec.name());
    try {
      Files.deleteIfExists(plan.terminationFile());
      Files.write(plan.terminationFile(), new byte[0]);
      PodProcess process = node.launcher.launch(
          new ProcessLauncher.LaunchSpec(label, plan.argv(), plan.env(), plan.workingDir(), logFile));
      rec.running(process);
      LOG.info("pod {}: started {} (pid {})", label, plan.argv().get(0), process.pid());
      process.exit().whenCompleteAsync((code, error) -> onExit(rec, process, code, error), node.scheduler);
      if (!rec.init && ReadinessProbes.hasCheckableProbe(rec.spec)) {
        scheduleProbe(rec, process, ReadinessProbes.initialDelay(rec.spec));
      }
    } catch (ProcessLauncher.StartException | IOException e) {
      Instant now = Instant.now();
      String why = e instanceof ProcessLauncher.StartException ? e.getMessage() : e.toString();
      LOG.warn("pod {}: cannot start: {}", label, why);
      appendToLog(logFile, why);
      rec.terminated(128, "StartError", why, now, now);
      afterTermination(rec);
    }
  }

  /** The next readiness probe of this run of the container; the chain ends when the run does. */
  private void scheduleProbe(ContainerRecord rec, PodProcess process, Duration delay) {
    node.scheduler.schedule(() -> {
      synchronized (this) {
        if (finished || terminating || node.closed() || rec.process() != process) {
          return;
        }
      }
      boolean passed = ReadinessProbes.passes(pod(), rec.spec); // outside the lock: it waits on the network
      synchronized (this) {
        if (rec.process() != process) {
          return;
        }
        if (rec.probed(passed)) {
          writeStatus();
        }
      }
      scheduleProbe(rec, process, ReadinessProbes.period(rec.spec));
    }, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private synchronized void onExit(ContainerRecord rec, PodProcess process, Integer code, Throwable error) {
    if (rec.process() != process) {
      return;
    }
    int exitCode = code != null ? code : 128;
    String text = terminationMessage(rec, process, exitCode);
    rec.terminated(exitCode, exitCode == 0 ? "Completed" : "Error", text, process.startedAt(), Instant.now());
    LOG.info("pod {}/{}/{}: exited with {}", namespace, name, rec.name(), exitCode);
    afterTermination(rec);
  }

  private void afterTermination(ContainerRecord rec) {
    if (terminating) {
      if (noneRunning()) {
        finish();
      } else {
        writeStatus();
      }
      return;
    }
    String policy = PodStatusMapper.restartPolicy(pod);
    if (rec.init && rec.succeeded()) {
      int next = inits.indexOf(rec) + 1;
      if (next < inits.size()) {
        startContainer(inits.get(next));
      } else {
        mains.forEach(m -> m.waiting("ContainerCreating", null));
        mains.forEach(this::startContainer);
      }
      writeStatus();
      return;
    }
    boolean restart = "Always".equals(policy) || ("OnFailure".equals(policy) && !rec.succeeded());
    if (rec.init && !rec.succeeded()) {
      restart = !"Never".equals(policy);
    }
    if (restart) {
      Duration delay = RESTART_BACKOFF.multipliedBy(1L << Math.min(rec.restartCount(), 10));
      if (delay.compareTo(MAX_RESTART_BACKOFF) > 0) {
        delay = MAX_RESTART_BACKOFF;
      }
      rec.restarting("back-off " + delay.toSeconds() + "s restarting failed container=" + rec.name() + " pod=" + name);
      restarts.put(rec.name(), node.scheduler.schedule(() -> restart(rec), delay.toMillis(), TimeUnit.MILLISECONDS));
      writeStatus();
      return;
    }
    boolean done = rec.init || mains.stream().allMatch(ContainerRecord::isTerminated);
    if (done) {
      finish();
    } else {
      writeStatus();
    }
  }

  private synchronized void restart(ContainerRecord rec) {
    restarts.remove(rec.name());
    if (terminating || finished || node.closed()) {
      return;
    }
    startContainer(rec);
    writeStatus();
  }

  /** The pod got a deletionTimestamp or was deleted: stop it as a kubelet does. */
  synchronized void observe(Pod latest) {
    if (!uid.equals(latest.getMetadata().getUid())) {
      return;
    }
    if (latest.getMetadata().getDeletionTimestamp() != null) {
      terminate(null, null, latest.getMetadata().getDeletionGracePeriodSeconds());
    }
  }

  /** The pod is gone from the API: SIGTERM, grace, SIGKILL; its per-pod folders are deleted once nothing runs. */
  synchronized void deleted(Pod last) {
    deleted = true;
    gone = true;
    Long grace = last.getMetadata().getDeletionGracePeriodSeconds();
    if (finished) {
      node.filesystem.release(pod);
      return;
    }
    terminate(null, null, grace);
  }

  /**
   * Stops the pod's processes: SIGTERM to each main process, SIGKILL to its process tree after the
   * grace period (the deletion's grace, else terminationGracePeriodSeconds, default 30 s, capped by
   * {@link LocalNodeConfig#maxTerminationGrace()}).
   */
  synchronized void terminate(String why, String text, Long graceSeconds) {
    if (finished || terminating) {
      return;
    }
    terminating = true;
    if (why != null) {
      forcedPhase = "Failed";
      reason = why;
      message = text;
    }
    cancel(retry);
    restarts.values().forEach(this::cancel);
    restarts.clear();
    Duration grace = node.config.grace(graceSeconds != null ? graceSeconds : pod.getSpec().getTerminationGracePeriodSeconds());
    for (ContainerRecord rec : all()) {
      PodProcess p = rec.process();
      if (p != null) {
        LOG.info("pod {}/{}/{}: stopping (grace {} s)", namespace, name, rec.name(), grace.toSeconds());
        p.terminate(grace, node.scheduler);
      }
    }
    if (noneRunning()) {
      finish();
    } else {
      writeStatus();
    }
  }

  /** The node is closing: stop everything within {@code grace}, no more status writes. */
  synchronized List<PodProcess> shutdown(Duration grace) {
    terminating = true;
    cancel(retry);
    cancel(deadline);
    restarts.values().forEach(this::cancel);
    List<PodProcess> running = new ArrayList<>();
    for (ContainerRecord rec : all()) {
      PodProcess p = rec.process();
      if (p != null) {
        p.terminate(grace, node.scheduler);
        running.add(p);
      }
    }
    return running;
  }

  /** Process trees of this pod, for a last SIGKILL when the JVM exits. */
  synchronized List<PodProcess> processes() {
    List<PodProcess> running = new ArrayList<>();
    for (ContainerRecord rec : all()) {
      if (rec.process() != null) {
        running.add(rec.process());
      }
    }
    return running;
  }

  private void finish() {
    if (finished) {
      return;
    }
    finished = true;
    cancel(retry);
    cancel(deadline);
    restarts.values().forEach(this::cancel);
    restarts.clear();
    if (terminating && forcedPhase == null && bound) {
      String phase = PodStatusMapper.phase(PodStatusMapper.restartPolicy(pod), statuses(inits), statuses(mains));
      if (!phase.equals("Succeeded") && !phase.equals("Failed")) {
        forcedPhase = "Failed";
      }
    }
    writeStatus();
    if (deleted) {
      node.filesystem.release(pod);
    }
    node.onFinished.accept(this);
  }

  private void scheduleRetry() {
    cancel(retry);
    if (!node.closed()) {
      retry = node.scheduler.schedule(this::start, node.config.retryInterval().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void scheduleDeadline() {
    Long seconds = pod.getSpec().getActiveDeadlineSeconds();
    if (seconds != null && seconds > 0) {
      deadline = node.scheduler.schedule(
          () -> terminate("DeadlineExceeded", "Pod was active on the node longer than the specified deadline", null),
          seconds, TimeUnit.SECONDS);
    }
  }

  private String terminationMessage(ContainerRecord rec, PodProcess process, int exitCode) {
    LaunchPlan plan = plans.get(rec.name());
    String text = "";
    try (InputStream in = Files.newInputStream(plan.terminationFile())) {
      text = new String(in.readNBytes(MAX_TERMINATION_MESSAGE), StandardCharsets.UTF_8);
    } catch (IOException e) {
      // no message
    }
    if (text.isEmpty() && exitCode != 0 && "FallbackToLogsOnError".equals(rec.spec.getTerminationMessagePolicy())) {
      text = process.logTail();
    }
    return text;
  }

  private void writeStatus() {
    if (gone || node.closed()) {
      return;
    }
    List<PodCondition> previous = written != null ? written.getConditions()
        : pod.getStatus() == null ? List.of() : pod.getStatus().getConditions();
    PodStatusMapper.Snapshot snapshot = new PodStatusMapper.Snapshot(bound, unschedulable, startTime,
        statuses(inits), statuses(mains), forcedPhase, reason, message);
    PodStatus status = PodStatusMapper.build(pod, snapshot, previous, Instant.now());
    if (status.equals(written)) {
      return;
    }
    switch (node.statusWriter.write(namespace, name, uid, status)) {
      case WRITTEN -> written = status;
      case GONE -> gone = true;
      case FAILED -> node.scheduler.schedule(this::rewrite, node.config.retryInterval().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private synchronized void rewrite() {
    writeStatus();
  }

  private boolean noneRunning() {
    return all().stream().noneMatch(ContainerRecord::isRunning);
  }

  private List<ContainerRecord> all() {
    List<ContainerRecord> all = new ArrayList<>(inits);
    all.addAll(mains);
    return all;
  }

  private static List<ContainerStatus> statuses(List<ContainerRecord> records) {
    return records.stream().map(ContainerRecord::toStatus).toList();
  }

  private void cancel(ScheduledFuture<?> future) {
    if (future != null) {
      future.cancel(false);
    }
  }

  private static void appendToLog(Path logFile, String line) {
    try {
      Files.createDirectories(logFile.getParent());
      Files.writeString(logFile, line + "\n", StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      // the status carries the message anyway
    }
  }
}
