package dev.dbtplatform.local.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalJobControllerTest extends NodeTestSupport {

  @Test
  void successfulJobIsComplete() {
    startNode();
    Job job = createJob(jobBuilder("flush", "echo flushed; exit 0").build());

    eventually().until(() -> hasCondition(status("flush"), "Complete"));
    JobStatus status = status("flush");
    assertThat(status.getConditions()).extracting(JobCondition::getType).containsExactly("SuccessCriteriaMet", "Complete");
    assertThat(status.getConditions()).allMatch(c -> "True".equals(c.getStatus()));
    assertThat(status.getSucceeded()).isEqualTo(1);
    assertThat(status.getFailed()).isNull();
    assertThat(status.getActive()).isNull();
    assertThat(status.getStartTime()).isNotNull();
    assertThat(status.getCompletionTime()).isNotNull();

    List<Pod> pods = jobPods("flush");
    assertThat(pods).singleElement().satisfies(pod -> {
      assertThat(pod.getMetadata().getName()).matches("flush-[a-z0-9]{5}");
      assertThat(pod.getMetadata().getLabels())
          .containsEntry("job-name", "flush")
          .containsEntry("batch.kubernetes.io/job-name", "flush")
          .containsEntry("controller-uid", job.getMetadata().getUid())
          .containsEntry("batch.kubernetes.io/controller-uid", job.getMetadata().getUid())
          .containsEntry("component", "log-flush");
      OwnerReference owner = pod.getMetadata().getOwnerReferences().get(0);
      assertThat(owner.getKind()).isEqualTo("Job");
      assertThat(owner.getUid()).isEqualTo(job.getMetadata().getUid());
      assertThat(owner.getController()).isTrue();
      assertThat(pod.getStatus().getPhase()).isEqualTo("Succeeded");
    });
  }

  @Test
  void failingJobIsRetriedUntilTheBackoffLimit() {
    startNode();
    createJob(jobBuilder("always-fails", "exit 1").editSpec().withBackoffLimit(2).endSpec().build());

    eventually().until(() -> hasCondition(status("always-fails"), "Failed"));
    JobStatus status = status("always-fails");
    assertThat(status.getConditions()).extracting(JobCondition::getType).containsExactly("FailureTarget", "Failed");
    assertThat(status.getConditions()).allMatch(c -> "BackoffLimitExceeded".equals(c.getReason()));
    assertThat(status.getFailed()).isEqualTo(3);
    assertThat(status.getSucceeded()).isNull();
    assertThat(status.getCompletionTime()).isNull();
    assertThat(jobPods("always-fails")).hasSize(3).allMatch(p -> "Failed".equals(p.getStatus().getPhase()));
  }

  @Test
  void jobThatFailsOnceThenSucceedsIsComplete() throws Exception {
    createClaim("state");
    startNode();
    String script = "n=$(cat \"$STATE/count\" 2>/dev/null || echo 0); n=$((n+1)); echo $n > \"$STATE/count\"; "
        + "echo attempt $n; [ $n -ge 2 ]";
    createJob(jobBuilder("flaky", script)
        .editSpec().editTemplate().editSpec()
          .editFirstContainer()
            .addNewEnv().withName("STATE").withValue("/state").endEnv()
            .withVolumeMounts(new VolumeMountBuilder().withName("state").withMountPath("/state").build())
          .endContainer()
          .withVolumes(new VolumeBuilder().withName("state").withNewPersistentVolumeClaim("state", false).build())
        .endSpec().endTemplate().endSpec()
        .build());

    eventually().until(() -> hasCondition(status("flaky"), "Complete"));
    JobStatus status = status("flaky");
    assertThat(status.getFailed()).isEqualTo(1);
    assertThat(status.getSucceeded()).isEqualTo(1);
    assertThat(jobPods("flaky")).hasSize(2);
    assertThat(Files.readString(config.claimDir(ns, "state").resolve("count")).trim()).isEqualTo("2");
  }

  @Test
  void duplicateJobEventsCreateOnePod() throws Exception {
    startNode();
    createJob(jobBuilder("single", "sleep 1").build());
    eventually().until(() -> !jobPods("single").isEmpty());
    for (int i = 0; i < 5; i++) {
      String patch = "{\"metadata\":{\"annotations\":{\"touch\":\"" + i + "\"}}}";
      client.batch().v1().jobs().inNamespace(ns).withName("single")
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }

    eventually().until(() -> hasCondition(status("single"), "Complete"));
    assertThat(jobPods("single")).hasSize(1);
  }

  @Test
  void deletingAJobDeletesItsPodsAndStopsThem() {
    startNode();
    createJob(jobBuilder("long-job", "sleep 60").build());
    eventually().until(() -> jobPods("long-job").stream().anyMatch(p -> p.getStatus() != null
        && "Running".equals(p.getStatus().getPhase())));
    Pod pod = jobPods("long-job").get(0);
    long pid = pid(pod.getMetadata().getName());
    eventually().until(() -> status("long-job") != null && Integer.valueOf(1).equals(status("long-job").getActive()));

    client.batch().v1().jobs().inNamespace(ns).withName("long-job").delete();

    eventually().until(() -> get(pod.getMetadata().getName()) == null);
    eventually().until(() -> !alive(pid));
  }

  @Test
  void activeDeadlineFailsTheJobAndKillsItsPod() {
    startNode();
    createJob(jobBuilder("too-slow", "sleep 60").editSpec().withActiveDeadlineSeconds(1L).endSpec().build());
    eventually().until(() -> jobPods("too-slow").stream().anyMatch(p -> p.getStatus() != null
        && "Running".equals(p.getStatus().getPhase())));
    long pid = pid(jobPods("too-slow").get(0).getMetadata().getName());

    eventually().until(() -> hasCondition(status("too-slow"), "Failed"));
    assertThat(status("too-slow").getConditions()).allMatch(c -> "DeadlineExceeded".equals(c.getReason()));
    eventually().until(() -> !alive(pid) && jobPods("too-slow").isEmpty());
  }

  private JobBuilder jobBuilder(String name, String script) {
    return new JobBuilder()
        .withNewMetadata().withName(name).withNamespace(ns).addToAnnotations("created-by", "test").endMetadata()
        .withNewSpec()
          .withNewTemplate()
            .withNewMetadata().addToLabels("component", "log-flush").endMetadata()
            .withNewSpec()
              .withRestartPolicy("Never")
              .addNewContainer().withName("flush").withImage("ignored").withCommand("sh", "-c").withArgs(script).endContainer()
            .endSpec()
          .endTemplate()
        .endSpec();
  }

  private Job createJob(Job job) {
    return client.batch().v1().jobs().resource(job).create();
  }

  private JobStatus status(String name) {
    Job job = client.batch().v1().jobs().inNamespace(ns).withName(name).get();
    return job == null ? null : job.getStatus();
  }

  private List<Pod> jobPods(String jobName) {
    return client.pods().inNamespace(ns).withLabel("job-name", jobName).list().getItems();
  }

  private static boolean hasCondition(JobStatus status, String type) {
    return status != null && status.getConditions() != null
        && status.getConditions().stream().anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
