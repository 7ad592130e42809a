package dev.dbtplatform.bench.operator;

import dev.dbtplatform.contract.FlushConfig;
import dev.dbtplatform.contract.FlushReport;
import dev.dbtplatform.contract.RuntimeEnv;
import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.operator.resources.RunLabels;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node with no work to do: every run pod starts at once, runs for {@code runTime} and succeeds
 * with a run summary in its termination message; every log-flush Job gets one pod that succeeds
 * at once with a flush report, and the Job completes. It writes status the way a kubelet and the
 * Job controller would (the status subresource), and, standing in for the garbage collector the
 * API stand-in lacks, deletes a flush Job's pods with the Job. So the operator sees the whole life
 * of a run while the only work done is the API traffic itself.
 */
public final class FastNode implements AutoCloseable {
  private static final String JOB_NAME_LABEL = "job-name";

  private final KubernetesClient client;
  private final Duration runTime;
  private final ScheduledExecutorService kubelet;
  private final AtomicLong errors = new AtomicLong();
  private SharedIndexInformer<Pod> pods;
  private SharedIndexInformer<Job> jobs;

  /** @param runTime how long each run pod stays Running before it succeeds (zero: at once) */
  public FastNode(KubernetesClient client, Duration runTime, int threads) {
    this.client = client;
    this.runTime = runTime;
    this.kubelet = Executors.newScheduledThreadPool(threads, r -> {
      Thread t = new Thread(r, "fast-node");
      t.setDaemon(true);
      return t;
    });
  }

  /** Watches the operator's pods and Jobs (the same label selector the operator's informers use). */
  public FastNode start() {
    pods = client.pods().inAnyNamespace().withLabel(ApiGroup.MANAGED_BY_LABEL, ApiGroup.MANAGED_BY)
        .inform(new Handler<>() {
          @Override
          public void onAdd(Pod pod) {
            if (RunLabels.COMPONENT_RUN.equals(RunLabels.component(pod)) && phase(pod) == null) {
              kubelet.execute(() -> start(pod));
            }
          }
        });
    jobs = client.batch().v1().jobs().inAnyNamespace().withLabel(ApiGroup.MANAGED_BY_LABEL, ApiGroup.MANAGED_BY)
        .inform(new Handler<>() {
          @Override
          public void onAdd(Job job) {
            if (job.getStatus() == null || job.getStatus().getConditions() == null
                || job.getStatus().getConditions().isEmpty()) {
              kubelet.execute(() -> complete(job));
            }
          }

          @Override
          public void onDelete(Job job, boolean finalStateUnknown) {
            kubelet.execute(() -> collectPodsOf(job));
          }
        });
    return this;
  }

  /** Status writes the API refused for another reason than the object being gone. */
  public long errors() {
    return errors.get();
  }

  private void start(Pod pod) {
    String now = Instant.now().toString();
    Optional<Pod> written = writeStatus(pod, new PodStatusBuilder().withPhase("Running").withStartTime(now)
        .withContainerStatuses(new ContainerStatusBuilder().withName(container(pod)).withReady(true)
            .withState(new ContainerStateBuilder().withNewRunning().withStartedAt(now).endRunning().build())
            .build())
        .build());
    written.ifPresent(running -> kubelet.schedule(() -> succeed(running, now), runTime.toMillis(), TimeUnit.MILLISECONDS));
  }

  private void succeed(Pod pod, String startedAt) {
    Instant finished = Instant.now();
    writeStatus(pod, terminated(container(pod), startedAt, finished.toString(),
        RunSummaries.succeeded(Instant.parse(startedAt), finished).toTerminationMessage()));
  }

  /** Runs the Job's one pod to success, as the Job controller and kubelet would, then completes the Job. */
  private void complete(Job job) {
    try {
      String jobName = job.getMetadata().getName();
      Map<String, String> labels = new HashMap<>(job.getSpec().getTemplate().getMetadata().getLabels());
      labels.put(JOB_NAME_LABEL, jobName);
      Pod pod = client.resource(new PodBuilder()
          .withNewMetadata().withName(jobName + "-pod").withNamespace(job.getMetadata().getNamespace())
            .withLabels(labels).withAnnotations(job.getSpec().getTemplate().getMetadata().getAnnotations())
            .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
                .withName(jobName).withUid(job.getMetadata().getUid()).withController(true).build())
          .endMetadata()
          .withSpec(job.getSpec().getTemplate().getSpec())
          .build()).create();
      String now = Instant.now().toString();
      FlushConfig flush = flushConfig(job);
      FlushReport report = new FlushReport(flush.bucket(), flush.runPrefix(), 9, 123_456, Instant.now(), null);
      writeStatus(pod, terminated(container(pod), now, now, report.toTerminationMessage()));
      Job done = new JobBuilder(job).withStatus(new JobStatusBuilder().withStartTime(now).withCompletionTime(now)
          .withSucceeded(1)
          .withConditions(new JobConditionBuilder().withType("Complete").withStatus("True").build())
          .build()).build();
      client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).resource(done).updateStatus();
    } catch (KubernetesClientException e) {
      countUnlessGone(e);
    }
  }

  private void collectPodsOf(Job job) {
    try {
      client.pods().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName() + "-pod").delete();
    } catch (KubernetesClientException e) {
      countUnlessGone(e);
    }
  }

  /** Writes the status over the version of the pod given (the node's own last write of it): the stored pod, or empty. */
  private Optional<Pod> writeStatus(Pod pod, PodStatus status) {
    try {
      Pod changed = new PodBuilder(pod).withStatus(status).build();
      return Optional.of(client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(changed).updateStatus());
    } catch (KubernetesClientException e) {
      countUnlessGone(e);
      return Optional.empty();
    }
  }

  /** A pod deleted by the operator before the node got to it is normal (a cancel); anything else is an error. */
  private void countUnlessGone(KubernetesClientException e) {
    if (e.getCode() != 404) {
      errors.incrementAndGet();
    }
  }

  private static PodStatus terminated(String container, String startedAt, String finishedAt, String message) {
    return new PodStatusBuilder().withPhase("Succeeded").withStartTime(startedAt)
        .withContainerStatuses(new ContainerStatusBuilder().withName(container).withReady(false)
            .withState(new ContainerStateBuilder().withNewTerminated().withExitCode(0).withReason("Completed")
                .withMessage(message).withStartedAt(startedAt).withFinishedAt(finishedAt).endTerminated().build())
            .build())
        .build();
  }

  private static FlushConfig flushConfig(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> RuntimeEnv.FLUSH_CONFIG.equals(e.getName())).map(EnvVar::getValue).findFirst()
        .map(FlushConfig::fromJson).orElseThrow();
  }

  private static String container(Pod pod) {
    return pod.getSpec().getContainers().get(0).getName();
  }

  private static String phase(Pod pod) {
    return pod.getStatus() == null ? null : pod.getStatus().getPhase();
  }

  @Override
  public void close() {
    if (pods != null) {
      pods.close();
    }
    if (jobs != null) {
      jobs.close();
    }
    kubelet.shutdownNow();
  }

  /** Only the events a handler asks for. */
  private interface Handler<T> extends ResourceEventHandler<T> {
    @Override
    default void onAdd(T obj) {}

    @Override
    default void onUpdate(T oldObj, T newObj) {}

    @Override
    default void onDelete(T obj, boolean deletedFinalStateUnknown) {}
  }
}
