package dev.dbtplatform.local.node;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Job controller of one-machine mode, for batch/v1 Jobs (the mock API has none).
 *
 * <p>For each Job (keyed by UID, so duplicate events never create a second pod) it creates pods from
 * {@code spec.template}, named {@code <job>-<5 random characters>}, labelled with the template's
 * labels plus {@code job-name}, {@code batch.kubernetes.io/job-name}, {@code controller-uid} and
 * {@code batch.kubernetes.io/controller-uid}, and owned by the Job (controller=true). One pod at a
 * time; what happens next is {@link JobPlanner}'s decision. It keeps the Job's status as Kubernetes
 * does: startTime, active/ready/succeeded/failed counts, on success SuccessCriteriaMet + Complete and
 * completionTime, on failure FailureTarget + Failed with reason BackoffLimitExceeded or
 * DeadlineExceeded (active pods are deleted). A pod deleted before it finished counts as failed.
 * {@code ttlSecondsAfterFinished} deletes the Job after it finished.
 *
 * <p>Garbage collection, for Jobs only: when a Job is deleted its pods are deleted (the mock has no
 * garbage collector). Not supported: parallelism above 1, Indexed completion mode, podFailurePolicy,
 * backoffLimitPerIndex, successPolicy, podReplacementPolicy, the Suspended condition (a suspended Job
 * just gets no new pods).
 */
public final class LocalJobController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalJobController.class);
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final int MAX_GENERATED_BASE = 63 - 5;
  private static final int ATTEMPTS = 5;

  public static final String JOB_NAME_LABEL = "job-name";
  public static final String BATCH_JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
  public static final String CONTROLLER_UID_LABEL = "controller-uid";
  public static final String BATCH_CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";

  private final KubernetesClient client;
  private final LocalNodeConfig config;
  private final ScheduledThreadPoolExecutor scheduler;
  private final Map<String, JobState> jobs = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private List<SharedIndexInformer<Pod>> podInformers = List.of();
  private List<SharedIndexInformer<Job>> jobInformers = List.of();
  private volatile boolean closed;

  private LocalJobController(KubernetesClient client, LocalNodeConfig config) {
    this.client = client;
    this.config = config;
    this.scheduler = new ScheduledThreadPoolExecutor(2, Informers.daemonThreads("local-job-controller"));
    this.scheduler.setRemoveOnCancelPolicy(true);
  }

  /**
   * Starts watching Jobs (in the configured namespaces, with the configured label selector) and their
   * pods; uses {@link LocalNodeConfig#jobBackoffBase()} and {@link LocalNodeConfig#retryInterval()}.
   */
  public static LocalJobController start(KubernetesClient client, LocalNodeConfig config) {
    LocalJobController controller = new LocalJobController(client, config);
    try {
      controller.podInformers = Informers.start(client.pods(), config, false,
          Informers.handler(controller::podEvent, controller::podDeleted));
      controller.jobInformers = Informers.start(client.batch().v1().jobs(), config, true,
          Informers.handler(controller::jobEvent, controller::jobDeleted));
    } catch (RuntimeException e) {
      controller.close();
      throw e;
    }
    return controller;
  }

  /** Per-Job bookkeeping, guarded by itself: what was created, what succeeded and failed. */
  private static final class JobState {
    final String uid;
    final String namespace;
    final String name;
    Job job;
    Instant startTime;
    final Map<String, String> active = new LinkedHashMap<>();
    final Set<String> succeeded = new HashSet<>();
    final Set<String> failed = new HashSet<>();
    Instant lastFailure;
    boolean finished;
    boolean deleted;
    List<JobCondition> finalConditions;
    String completionTime;
    JobStatus written;
    ScheduledFuture<?> timer;
    ScheduledFuture<?> ttl;

    JobState(Job job) {
      this.job = job;
      this.uid = job.getMetadata().getUid();
      this.namespace = job.getMetadata().getNamespace();
      this.name = job.getMetadata().getName();
    }
  }

  private void jobEvent(Job job) {
    if (closed || job.getMetadata().getUid() == null || !config.selects(job)) {
      return;
    }
    JobState state = jobs.computeIfAbsent(job.getMetadata().getUid(), uid -> new JobState(job));
    synchronized (state) {
      state.job = job;
    }
    if (job.getMetadata().getDeletionTimestamp() != null) {
      submit(() -> deletePods(state));
      return;
    }
    submit(() -> reconcile(state));
  }

  private void jobDeleted(Job job) {
    JobState state = jobs.remove(job.getMetadata().getUid());
    if (state == null) {
      return;
    }
    submit(() -> {
      synchronized (state) {
        state.deleted = true;
        cancel(state.timer);
        cancel(state.ttl);
      }
      deletePods(state);
    });
  }

  private void podEvent(Pod pod) {
    JobState state = ownerState(pod);
    if (state != null) {
      submit(() -> reconcile(state));
    }
  }

  private void podDeleted(Pod pod) {
    JobState state = ownerState(pod);
    if (state == null) {
      return;
    }
    submit(() -> {
      synchronized (state) {
        String podName = pod.getMetadata().getName();
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase)) {
          state.succeeded.add(pod.getMetadata().getUid());
        } else if (state.active.containsKey(podName) || "Failed".equals(phase)) {
          if (state.failed.add(pod.getMetadata().getUid())) {
            state.lastFailure = Instant.now();
          }
        }
        state.active.remove(podName);
      }
      reconcile(state);
    });
  }

  private JobState ownerState(Pod pod) {
    OwnerReference owner = controllerJob(pod);
    return owner == null ? null : jobs.get(owner.getUid());
  }

  private static OwnerReference controllerJob(Pod pod) {
    for (OwnerReference ref : EnvResolver.nullSafe(pod.getMetadata().getOwnerReferences())) {
      if ("Job".equals(ref.getKind()) && Boolean.TRUE.equals(ref.getController())
          && ref.getApiVersion() != null && ref.getApiVersion().startsWith("batch/")) {
        return ref;
      }
    }
    return null;
  }

  private void reconcile(JobState state) {
    if (closed) {
      return;
    }
    synchronized (state) {
      if (state.deleted) {
        return;
      }
      Job job = state.job;
      if (!state.finished && isFinished(job.getStatus())) {
        state.finished = true;
        state.written = job.getStatus();
      }
      if (state.finished) {
        scheduleTtl(state);
        return;
      }
      Instant now = Instant.now();
      if (state.startTime == null) {
        state.startTime = parse(job.getStatus() == null ? null : job.getStatus().getStartTime(), now);
      }
      int ready = observePods(state);
      JobPlanner.Counts counts = new JobPlanner.Counts(state.active.size(), state.succeeded.size(),
          state.failed.size(), state.lastFailure);
      JobPlanner.Decision decision = JobPlanner.decide(job.getSpec(), state.startTime, counts, config.jobBackoffBase(), now);
      if (decision instanceof JobPlanner.Complete) {
        state.finished = true;
        state.completionTime = PodStatusMapper.time(now);
        state.finalConditions = List.of(
            condition("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods", now),
            condition("Complete", "CompletionsReached", "Reached expected number of succeeded pods", now));
        LOG.info("job {}/{} complete", state.namespace, state.name);
      } else if (decision instanceof JobPlanner.Fail fail) {
        state.finished = true;
        state.finalConditions = List.of(
            condition("FailureTarget", fail.reason(), fail.message(), now),
            condition("Failed", fail.reason(), fail.message(), now));
        LOG.info("job {}/{} failed: {}", state.namespace, state.name, fail.reason());
        deleteActivePods(state);
      } else if (decision instanceof JobPlanner.CreatePod) {
        createPod(state);
      } else if (decision instanceof JobPlanner.Wait wait && wait.until() != null) {
        scheduleReconcile(state, wait.until());
      }
      writeStatus(state, ready);
      if (state.finished) {
        cancel(state.timer);
        scheduleTtl(state);
      }
    }
  }

  /** Folds the pods in the informer's cache into the state; returns how many active pods are Ready. */
  private int observePods(JobState state) {
    int ready = 0;
    for (Pod pod : ownedPods(state.uid)) {
      String podName = pod.getMetadata().getName();
      String podUid = pod.getMetadata().getUid();
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      if ("Succeeded".equals(phase)) {
        state.succeeded.add(podUid);
        state.active.remove(podName);
      } else if ("Failed".equals(phase)) {
        if (state.failed.add(podUid)) {
          Instant finishedAt = finishedAt(pod);
          if (state.lastFailure == null || finishedAt.isAfter(state.lastFailure)) {
            state.lastFailure = finishedAt;
          }
        }
        state.active.remove(podName);
      } else if (pod.getMetadata().getDeletionTimestamp() == null
          && !state.succeeded.contains(podUid) && !state.failed.contains(podUid)) {
        state.active.putIfAbsent(podName, podUid);
        boolean isReady = pod.getStatus() != null && EnvResolver.nullSafe(pod.getStatus().getConditions()).stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        if (isReady) {
          ready++;
        }
      }
    }
    return ready;
  }

  private List<Pod> ownedPods(String jobUid) {
    List<Pod> pods = new ArrayList<>();
    for (SharedIndexInformer<Pod> informer : podInformers) {
      for (Pod pod : informer.getStore().list()) {
        OwnerReference owner = controllerJob(pod);
        if (owner != null && jobUid.equals(owner.getUid())) {
          pods.add(pod);
        }
      }
    }
    return pods;
  }

  private void createPod(JobState state) {
    Job job = state.job;
    PodTemplateSpec template = job.getSpec().getTemplate();
    ObjectMeta templateMeta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
    Map<String, String> labels = new LinkedHashMap<>();
    if (templateMeta.getLabels() != null) {
      labels.putAll(templateMeta.getLabels());
    }
    labels.put(BATCH_CONTROLLER_UID_LABEL, state.uid);
    labels.put(BATCH_JOB_NAME_LABEL, state.name);
    labels.put(CONTROLLER_UID_LABEL, state.uid);
    labels.put(JOB_NAME_LABEL, state.name);
    OwnerReference owner = new OwnerReferenceBuilder()
        .withApiVersion("batch/v1")
        .withKind("Job")
        .withName(state.name)
        .withUid(state.uid)
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      String podName = generateName(state.name);
      Pod pod = new PodBuilder()
          .withNewMetadata()
            .withName(podName)
            .withNamespace(state.namespace)
            .withLabels(labels)
            .withAnnotations(templateMeta.getAnnotations())
            .withOwnerReferences(owner)
          .endMetadata()
          .withSpec(new PodSpecBuilder(template.getSpec()).build())
          .build();
      try {
        Pod created = client.pods().inNamespace(state.namespace).resource(pod).create();
        state.active.put(podName, created.getMetadata().getUid());
        LOG.info("job {}/{}: created pod {}", state.namespace, state.name, podName);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          LOG.warn("job {}/{}: cannot create a pod: {}", state.namespace, state.name, e.getMessage());
          break;
        }
      }
    }
    scheduleReconcile(state, Instant.now().plus(config.retryInterval()));
  }

  String generateName(String jobName) {
    String base = jobName + "-";
    if (base.length() > MAX_GENERATED_BASE) {
      base = base.substring(0, MAX_GENERATED_BASE);
    }
    StringBuilder name = new StringBuilder(base);
    for (int i = 0; i < 5; i++) {
      name.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return name.toString();
  }

  private void deleteActivePods(JobState state) {
    for (String podName : new ArrayList<>(state.active.keySet())) {
      deletePod(state.namespace, podName);
    }
  }

  private void deletePods(JobState state) {
    Set<String> names = new HashSet<>();
    synchronized (state) {
      names.addAll(state.active.keySet());
    }
    ownedPods(state.uid).forEach(p -> names.add(p.getMetadata().getName()));
    for (String podName : names) {
      deletePod(state.namespace, podName);
    }
  }

  private void deletePod(String namespace, String podName) {
    try {
      client.pods().inNamespace(namespace).withName(podName).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        LOG.warn("cannot delete pod {}/{}: {}", namespace, podName, e.getMessage());
      }
    }
  }

  private void writeStatus(JobState state, int ready) {
    JobStatus status = new JobStatusBuilder()
        .withStartTime(PodStatusMapper.time(state.startTime))
        .withActive(state.finished || state.active.isEmpty() ? null : state.active.size())
        .withReady(state.finished ? 0 : ready)
        .withSucceeded(state.succeeded.isEmpty() ? null : state.succeeded.size())
        .withFailed(state.failed.isEmpty() ? null : state.failed.size())
        .withConditions(state.finalConditions == null ? List.of() : state.finalConditions)
        .withCompletionTime(state.completionTime)
        .build();
    if (status.equals(state.written)) {
      return;
    }
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        Job current = client.batch().v1().jobs().inNamespace(state.namespace).withName(state.name).get();
        if (current == null || !state.uid.equals(current.getMetadata().getUid())) {
          return;
        }
        current.setStatus(status);
        client.batch().v1().jobs().resource(current).updateStatus();
        state.written = status;
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return;
        }
        if (e.getCode() != 409 || attempt == ATTEMPTS) {
          LOG.warn("cannot update the status of job {}/{}: {}", state.namespace, state.name, e.getMessage());
          scheduleReconcile(state, Instant.now().plus(config.retryInterval()));
          return;
        }
      }
    }
  }

  private void scheduleReconcile(JobState state, Instant at) {
    cancel(state.timer);
    if (closed) {
      return;
    }
    long delay = Math.max(0, at.toEpochMilli() - System.currentTimeMillis());
    state.timer = scheduler.schedule(() -> reconcile(state), delay + 1, TimeUnit.MILLISECONDS);
  }

  private void scheduleTtl(JobState state) {
    Integer ttl = state.job.getSpec().getTtlSecondsAfterFinished();
    if (ttl == null || state.ttl != null || closed) {
      return;
    }
    Instant finishedAt = parse(state.written == null ? null : conditionTime(state.written), Instant.now());
    long delay = Math.max(0, finishedAt.plusSeconds(ttl).toEpochMilli() - System.currentTimeMillis());
    state.ttl = scheduler.schedule(() -> {
      try {
        Job current = client.batch().v1().jobs().inNamespace(state.namespace).withName(state.name).get();
        if (current != null && state.uid.equals(current.getMetadata().getUid())) {
          LOG.info("job {}/{}: deleting, ttlSecondsAfterFinished elapsed", state.namespace, state.name);
          client.batch().v1().jobs().resource(current).delete();
        }
      } catch (KubernetesClientException e) {
        LOG.warn("cannot delete finished job {}/{}: {}", state.namespace, state.name, e.getMessage());
      }
    }, delay, TimeUnit.MILLISECONDS);
  }

  private void submit(Runnable task) {
    if (closed) {
      return;
    }
    scheduler.execute(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.warn("job controller task failed", e);
      }
    });
  }

  static boolean isFinished(JobStatus status) {
    return status != null && EnvResolver.nullSafe(status.getConditions()).stream()
        .anyMatch(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType())) && "True".equals(c.getStatus()));
  }

  private static String conditionTime(JobStatus status) {
    if (status.getCompletionTime() != null) {
      return status.getCompletionTime();
    }
    return EnvResolver.nullSafe(status.getConditions()).stream()
        .filter(c -> "Failed".equals(c.getType()))
        .map(JobCondition::getLastTransitionTime)
        .findFirst().orElse(null);
  }

  private static JobCondition condition(String type, String reason, String message, Instant now) {
    String time = PodStatusMapper.time(now);
    return new JobConditionBuilder()
        .withType(type)
        .withStatus("True")
        .withReason(reason)
        .withMessage(message)
        .withLastProbeTime(time)
        .withLastTransitionTime(time)
        .build();
  }

  private static Instant finishedAt(Pod pod) {
    if (pod.getStatus() != null) {
      for (var cs : EnvResolver.nullSafe(pod.getStatus().getContainerStatuses())) {
        if (cs.getState() != null && cs.getState().getTerminated() != null) {
          return parse(cs.getState().getTerminated().getFinishedAt(), Instant.now());
        }
      }
    }
    return Instant.now();
  }

  private static Instant parse(String time, Instant fallback) {
    if (time == null) {
      return fallback;
    }
    try {
      return Instant.parse(time);
    } catch (DateTimeParseException e) {
      return fallback;
    }
  }

  private static void cancel(ScheduledFuture<?> future) {
    if (future != null) {
      future.cancel(false);
    }
  }

  @Override
  public void close() {
    closed = true;
    Informers.stop(jobInformers);
    Informers.stop(podInformers);
    scheduler.shutdownNow();
  }
}
