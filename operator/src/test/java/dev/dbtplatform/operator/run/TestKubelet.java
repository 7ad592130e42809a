package dev.dbtplatform.operator.run;

import dev.dbtplatform.crd.ApiGroup;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Moves pods and Jobs along the way a kubelet and the Job controller would, one call per
 * transition, so tests decide exactly what happens when.
 */
final class TestKubelet {
  private final KubernetesClient client;
  private final String namespace;

  TestKubelet(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  Pod pod(String name) {
    return client.pods().inNamespace(namespace).withName(name).get();
  }

  void pending(String name, String waitingReason, String waitingMessage) {
    Pod pod = pod(name);
    pod.setStatus(new PodStatusBuilder().withPhase("Pending")
        .withContainerStatuses(new ContainerStatusBuilder().withName("dbt").withReady(false)
            .withState(new ContainerStateBuilder().withNewWaiting().withReason(waitingReason)
                .withMessage(waitingMessage).endWaiting().build())
            .build())
        .build());
    client.pods().inNamespace(namespace).resource(pod).updateStatus();
  }

  void running(String name) {
    Pod pod = pod(name);
    pod.setStatus(new PodStatusBuilder().withPhase("Running").withStartTime(Instant.now().toString())
        .withContainerStatuses(new ContainerStatusBuilder().withName("dbt").withReady(true)
            .withState(new ContainerStateBuilder().withNewRunning().withStartedAt(Instant.now().toString())
                .endRunning().build())
            .build())
        .build());
    client.pods().inNamespace(namespace).resource(pod).updateStatus();
  }

  void terminated(String name, int exitCode, String terminationMessage) {
    Pod pod = pod(name);
    String startedAt = pod.getStatus() != null && pod.getStatus().getStartTime() != null
        ? pod.getStatus().getStartTime() : Instant.now().toString();
    pod.setStatus(new PodStatusBuilder().withPhase(exitCode == 0 ? "Succeeded" : "Failed").withStartTime(startedAt)
        .withContainerStatuses(new ContainerStatusBuilder().withName(pod.getSpec().getContainers().get(0).getName())
            .withReady(false)
            .withState(new ContainerStateBuilder().withNewTerminated().withExitCode(exitCode)
                .withReason(exitCode == 0 ? "Completed" : "Error").withMessage(terminationMessage)
                .withStartedAt(startedAt).withFinishedAt(Instant.now().toString()).endTerminated().build())
            .build())
        .build());
    client.pods().inNamespace(namespace).resource(pod).updateStatus();
  }

  Job job(String name) {
    return client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
  }

  /** Runs the Job's pod to the end as the Job controller and kubelet would, then completes or fails the Job. */
  void finishJob(String jobName, boolean succeeded, String terminationMessage) {
    Job job = job(jobName);
    Map<String, String> labels = new HashMap<>(job.getSpec().getTemplate().getMetadata().getLabels());
    labels.put(DbtRunReconciler.JOB_NAME_LABEL, jobName);
    String podName = jobName + "-" + Long.toString(System.nanoTime() % 100000, 36);
    Pod pod = new PodBuilder()
        .withNewMetadata().withName(podName).withNamespace(namespace).withLabels(labels)
          .withAnnotations(job.getSpec().getTemplate().getMetadata().getAnnotations()).endMetadata()
        .withSpec(job.getSpec().getTemplate().getSpec())
        .build();
    client.pods().inNamespace(namespace).resource(pod).create();
    terminated(podName, succeeded ? 0 : 1, terminationMessage);
    job.setStatus(new JobStatusBuilder()
        .withSucceeded(succeeded ? 1 : 0).withFailed(succeeded ? 0 : 3)
        .withConditions(new JobConditionBuilder().withType(succeeded ? "Complete" : "Failed").withStatus("True")
            .withReason(succeeded ? null : "BackoffLimitExceeded").build())
        .build());
    client.batch().v1().jobs().inNamespace(namespace).resource(job).updateStatus();
  }

  long podsOfRun(String runName) {
    return client.pods().inNamespace(namespace).withLabel(ApiGroup.RUN_LABEL, runName)
        .withLabel(ApiGroup.COMPONENT_LABEL, "run").list().getItems().size();
  }
}
