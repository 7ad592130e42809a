package dev.dbtplatform.local.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalNodeTest extends NodeTestSupport {

  @Test
  void runsAPodLikeAKubelet() throws Exception {
    client.secrets().resource(new SecretBuilder().withNewMetadata().withName("object-store").withNamespace(ns).endMetadata()
        .addToData("access-key-id", Base64.getEncoder().encodeToString("AKIA-LOCAL".getBytes(StandardCharsets.UTF_8)))
        .build()).create();
    createClaim("nightly-workspace");
    startNode();
    String script = "echo \"MESSAGE=$MESSAGE\"; echo \"KEY=$AWS_ACCESS_KEY_ID\"; echo \"POD=$POD_NAME IP=$POD_IP\"; "
        + "echo \"$POD_NAME\" > \"$DBT_PLATFORM_WORKSPACE/out.txt\"; echo \"tmp=$TMPDIR\"; pwd; "
        + "printf 'all done' > \"$DBT_PLATFORM_TERMINATION_LOG\"";
    Pod pod = shPod("nightly-run", script,
        env("GREETING", "hello"),
        env("MESSAGE", "$(GREETING) world from $(POD_NAME)"),
        new EnvVarBuilder().withName("AWS_ACCESS_KEY_ID").withNewValueFrom()
            .withNewSecretKeyRef("access-key-id", "object-store", false).endValueFrom().build(),
        new EnvVarBuilder().withName("POD_NAME").withNewValueFrom()
            .withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endValueFrom().build(),
        new EnvVarBuilder().withName("POD_IP").withNewValueFrom()
            .withNewFieldRef().withFieldPath("status.podIP").endFieldRef().endValueFrom().build(),
        env("DBT_PLATFORM_WORKSPACE", "/workspace"),
        env("TMPDIR", "/tmp"),
        env("DBT_PLATFORM_TERMINATION_LOG", "/dev/termination-log"))
        .editSpec()
          .editFirstContainer()
            .withWorkingDir("/workspace")
            .withTerminationMessagePath("/dev/termination-log")
            .withTerminationMessagePolicy("File")
            .withVolumeMounts(
                new VolumeMountBuilder().withName("workspace").withMountPath("/workspace").build(),
                new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build())
          .endContainer()
          .withVolumes(
              new VolumeBuilder().withName("workspace").withNewPersistentVolumeClaim("nightly-workspace", false).build(),
              new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build())
        .endSpec()
        .build();

    create(pod);

    eventually().until(() -> "Succeeded".equals(phase("nightly-run")));
    Pod done = get("nightly-run");
    assertThat(done.getSpec().getNodeName()).isEqualTo("local-node");
    assertThat(done.getMetadata().getLabels()).isEqualTo(pod.getMetadata().getLabels());
    assertThat(done.getSpec().getContainers().get(0).getArgs()).isEqualTo(pod.getSpec().getContainers().get(0).getArgs());
    assertThat(done.getSpec().getContainers().get(0).getEnv()).isEqualTo(pod.getSpec().getContainers().get(0).getEnv());
    String podIp = PodAddresses.of(done);
    assertThat(done.getStatus().getPodIP()).isEqualTo(podIp).startsWith("127.");
    assertThat(done.getStatus().getHostIP()).isEqualTo("127.0.0.1");
    assertThat(done.getStatus().getStartTime()).isNotNull();
    assertThat(done.getStatus().getConditions()).extracting(PodCondition::getType)
        .containsExactly("PodScheduled", "Initialized", "ContainersReady", "Ready");
    ContainerStatus cs = done.getStatus().getContainerStatuses().get(0);
    assertThat(cs.getReady()).isFalse();
    ContainerStateTerminated terminated = cs.getState().getTerminated();
    assertThat(terminated.getExitCode()).isZero();
    assertThat(terminated.getReason()).isEqualTo("Completed");
    assertThat(terminated.getMessage()).isEqualTo("all done");
    assertThat(terminated.getStartedAt()).isNotNull();
    assertThat(terminated.getFinishedAt()).isNotNull();

    Path claimDir = root.resolve("volumes").resolve(ns).resolve("nightly-workspace");
    assertThat(claimDir.resolve("out.txt")).hasContent("nightly-run");
    String log = Files.readString(config.logFile(ns, "nightly-run", "main"));
    assertThat(log)
        .contains("MESSAGE=hello world from $(POD_NAME)")
        .contains("KEY=AKIA-LOCAL")
        .contains("POD=nightly-run IP=" + podIp)
        .contains("tmp=" + root.resolve("pods").resolve(ns).resolve("nightly-run"))
        .contains(claimDir.toString());

    eventually().until(() -> {
      var claim = client.persistentVolumeClaims().inNamespace(ns).withName("nightly-workspace").get();
      return claim.getStatus() != null && "Bound".equals(claim.getStatus().getPhase());
    });
  }

  @Test
  void initContainersRunFirstThenAllContainersTogether() {
    startNode();
    create(shPod("multi", "test -f \"$SHARED/ready\" && echo main saw it", env("SHARED", "/shared"))
        .editSpec()
          .editFirstContainer()
            .withVolumeMounts(new VolumeMountBuilder().withName("shared").withMountPath("/shared").build())
          .endContainer()
          .addNewContainer().withName("sidecar").withCommand("sh", "-c", "sleep 0.5; test -f \"$SHARED/ready\"")
            .withEnv(env("SHARED", "/shared"))
            .withVolumeMounts(new VolumeMountBuilder().withName("shared").withMountPath("/shared").build())
          .endContainer()
          .addNewInitContainer().withName("init").withCommand("sh", "-c", "touch \"$SHARED/ready\"")
            .withEnv(env("SHARED", "/shared"))
            .withVolumeMounts(new VolumeMountBuilder().withName("shared").withMountPath("/shared").build())
          .endInitContainer()
          .withVolumes(new VolumeBuilder().withName("shared").withNewEmptyDir().endEmptyDir().build())
        .endSpec().build());

    eventually().until(() -> "Succeeded".equals(phase("multi")));
    Pod done = get("multi");
    assertThat(done.getStatus().getInitContainerStatuses()).singleElement()
        .satisfies(cs -> assertThat(cs.getState().getTerminated().getExitCode()).isZero());
    assertThat(done.getStatus().getContainerStatuses()).extracting(ContainerStatus::getName).containsExactly("main", "sidecar");
    assertThat(done.getStatus().getContainerStatuses())
        .allSatisfy(cs -> assertThat(cs.getState().getTerminated().getExitCode()).isZero());
  }

  @Test
  void aContainerWithAReadinessProbeIsReadyOnlyWhileItsServerAnswers() {
    startNode();
    // python's http.server stands in for a server in a pod: it listens on the pod's own address after a moment
    create(shPod("server", "sleep 1; exec python3 -m http.server 18080 --bind \"$IP\"")
        .editSpec()
          .editFirstContainer()
            .addToEnv(new EnvVarBuilder().withName("IP")
                .withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP").endFieldRef().endValueFrom().build())
            .addNewPort().withName("http").withContainerPort(18080).endPort()
            .withNewReadinessProbe().withNewHttpGet().withPath("/").withNewPort("http").endHttpGet()
              .withPeriodSeconds(1).endReadinessProbe()
          .endContainer()
        .endSpec().build());

    eventually().until(() -> "Running".equals(phase("server")));
    assertThat(containerStatus("server").getReady()).as("running, but not answering yet").isFalse();
    eventually().until(() -> Boolean.TRUE.equals(containerStatus("server").getReady()));
    assertThat(get("server").getStatus().getConditions()).filteredOn(c -> c.getType().equals("Ready"))
        .singleElement().satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
    client.pods().inNamespace(ns).withName("server").delete();
  }

  @Test
  void failingPodIsFailedWithItsExitCode() {
    startNode();
    create(shPod("fails", "echo about to fail; exit 3").build());

    eventually().until(() -> "Failed".equals(phase("fails")));
    ContainerStateTerminated terminated = containerStatus("fails").getState().getTerminated();
    assertThat(terminated.getExitCode()).isEqualTo(3);
    assertThat(terminated.getReason()).isEqualTo("Error");
  }

  @Test
  void fallsBackToTheLogOnErrorWhenAskedTo() {
    startNode();
    create(shPod("fallback", "echo something broke; exit 1")
        .editSpec().editFirstContainer().withTerminationMessagePolicy("FallbackToLogsOnError").endContainer().endSpec()
        .build());

    eventually().until(() -> "Failed".equals(phase("fallback")));
    assertThat(containerStatus("fallback").getState().getTerminated().getMessage()).contains("something broke");
  }

  @Test
  void unknownCommandIsAStartError() {
    startNode();
    create(shPod("no-such", "").editSpec().editFirstContainer().withCommand("no-such-command-anywhere").withArgs()
        .endContainer().endSpec().build());

    eventually().until(() -> "Failed".equals(phase("no-such")));
    ContainerStateTerminated terminated = containerStatus("no-such").getState().getTerminated();
    assertThat(terminated.getReason()).isEqualTo("StartError");
    assertThat(terminated.getExitCode()).isEqualTo(128);
    assertThat(terminated.getMessage()).contains("executable file not found in $PATH");
  }

  @Test
  void commandsComeFromTheBinFolderFirst() throws Exception {
    LauncherScripts.write(config.binDir(), Map.of("print-args", PrintArgs.class.getName()),
        LauncherScriptsTest.testClasspath(), LauncherScripts.currentJava());
    startNode();
    create(shPod("launcher", "").editSpec().editFirstContainer()
        .withCommand("print-args").withArgs("--workspace", "/workspace/x", "$(NAME)")
        .withEnv(env("NAME", "expanded"), env("PRINT_ARGS_ENV", "/workspace"))
        .withVolumeMounts(new VolumeMountBuilder().withName("ws").withMountPath("/workspace").build())
        .endContainer()
        .withVolumes(new VolumeBuilder().withName("ws").withNewEmptyDir().endEmptyDir().build())
        .endSpec().build());

    eventually().until(() -> "Succeeded".equals(phase("launcher")));
    Path ws = new PodFilesystem(config, null).runDir(get("launcher")).resolve("volumes/ws");
    assertThat(Files.readString(config.logFile(ns, "launcher", "main")))
        .contains("args=--workspace|" + ws.resolve("x") + "|expanded")
        .contains("env=" + ws);
  }

  @Test
  void secretVolumeFilesAreAtTheMappedMountPath() throws Exception {
    client.secrets().resource(new SecretBuilder().withNewMetadata().withName("warehouse-credentials").withNamespace(ns)
        .endMetadata()
        .addToData("password", Base64.getEncoder().encodeToString("hunter2".getBytes(StandardCharsets.UTF_8)))
        .addToStringData("profiles.yml", "demo:\n  target: dev\n")
        .build()).create();
    startNode();
    create(shPod("reads-secret", "cat \"$WAREHOUSE/password\" > \"$TERM_LOG\"; ls \"$WAREHOUSE\"; cat \"$ITEMS/nested/pw\"",
        env("WAREHOUSE", "/etc/dbt-platform/warehouse"), env("ITEMS", "/etc/items"), env("TERM_LOG", "/dev/termination-log"))
        .editSpec().editFirstContainer()
          .withVolumeMounts(
              new VolumeMountBuilder().withName("warehouse").withMountPath("/etc/dbt-platform/warehouse").withReadOnly(true).build(),
              new VolumeMountBuilder().withName("items").withMountPath("/etc/items").build())
        .endContainer()
        .withVolumes(
            new VolumeBuilder().withName("warehouse").withNewSecret().withSecretName("warehouse-credentials")
                .withDefaultMode(0400).endSecret().build(),
            new VolumeBuilder().withName("items").withNewSecret().withSecretName("warehouse-credentials")
                .withItems(new KeyToPath("password", null, "nested/pw")).endSecret().build())
        .endSpec().build());

    eventually().until(() -> "Succeeded".equals(phase("reads-secret")));
    assertThat(containerStatus("reads-secret").getState().getTerminated().getMessage()).isEqualTo("hunter2");
    Path volume = new PodFilesystem(config, null).runDir(get("reads-secret")).resolve("volumes/warehouse");
    assertThat(volume.resolve("password")).hasContent("hunter2");
    assertThat(volume.resolve("profiles.yml")).hasContent("demo:\n  target: dev");
    assertThat(Files.readString(config.logFile(ns, "reads-secret", "main"))).contains("password", "profiles.yml", "hunter2");

    client.pods().inNamespace(ns).withName("reads-secret").delete();
    eventually().until(() -> !Files.exists(volume));
    assertThat(config.logFile(ns, "reads-secret", "main")).exists();
  }

  @Test
  void missingSecretLeavesTheContainerWaitingUntilItExists() {
    startNode();
    create(shPod("needs-secret", "cat \"$DIR/key\"", env("DIR", "/secret"))
        .editSpec().editFirstContainer()
          .withVolumeMounts(new VolumeMountBuilder().withName("s").withMountPath("/secret").build())
        .endContainer()
        .withVolumes(new VolumeBuilder().withName("s").withNewSecret().withSecretName("later").endSecret().build())
        .endSpec().build());

    eventually().untilAsserted(() -> {
      ContainerStatus cs = containerStatus("needs-secret");
      assertThat(cs).isNotNull();
      ContainerStateWaiting waiting = cs.getState().getWaiting();
      assertThat(waiting).isNotNull();
      assertThat(waiting.getReason()).isEqualTo("CreateContainerConfigError");
      assertThat(waiting.getMessage()).isEqualTo("secret \"later\" not found");
    });
    assertThat(phase("needs-secret")).isEqualTo("Pending");

    client.secrets().resource(new SecretBuilder().withNewMetadata().withName("later").withNamespace(ns).endMetadata()
        .addToStringData("key", "finally").build()).create();
    eventually().until(() -> "Succeeded".equals(phase("needs-secret")));
  }

  @Test
  void missingSecretKeyRefIsAConfigError() {
    startNode();
    create(shPod("needs-env", "true", new EnvVarBuilder().withName("X").withNewValueFrom()
        .withNewSecretKeyRef("k", "absent", false).endValueFrom().build()).build());

    eventually().untilAsserted(() -> {
      ContainerStatus cs = containerStatus("needs-env");
      assertThat(cs).isNotNull();
      assertThat(cs.getState().getWaiting()).isNotNull();
      assertThat(cs.getState().getWaiting().getReason()).isEqualTo("CreateContainerConfigError");
    });
  }

  @Test
  void deletedPodGetsSigtermAndItsProcessesAreGone() throws Exception {
    createClaim("marks");
    startNode();
    create(shPod("long", "trap 'echo bye > \"$DATA/terminated\"; exit 0' TERM; "
            + "sleep 60 & echo $! > \"$DATA/child\"; echo started; wait",
        env("DATA", "/data"))
        .editSpec().editFirstContainer()
          .withVolumeMounts(new VolumeMountBuilder().withName("data").withMountPath("/data").build())
        .endContainer()
        .withVolumes(new VolumeBuilder().withName("data").withNewPersistentVolumeClaim("marks", false).build())
        .endSpec().build());
    Path data = config.claimDir(ns, "marks");
    eventually().until(() -> "Running".equals(phase("long")) && Files.exists(data.resolve("child")));
    eventually().until(() -> Files.readString(config.logFile(ns, "long", "main")).contains("started"));
    long pid = pid("long");
    long child = Long.parseLong(Files.readString(data.resolve("child")).trim());
    assertThat(alive(pid)).isTrue();

    client.pods().inNamespace(ns).withName("long").delete();

    eventually().until(() -> Files.exists(data.resolve("terminated")));
    assertThat(Files.readString(data.resolve("terminated"))).isEqualTo("bye\n");
    eventually().until(() -> !alive(pid) && !alive(child));
  }

  @Test
  void processIgnoringSigtermIsKilledAfterTheGracePeriod() throws Exception {
    startNode();
    create(shPod("stubborn", "trap '' TERM; echo started; while true; do sleep 1; done").build());
    eventually().until(() -> "Running".equals(phase("stubborn")));
    eventually().until(() -> Files.readString(config.logFile(ns, "stubborn", "main")).contains("started"));
    long pid = pid("stubborn");

    client.pods().inNamespace(ns).withName("stubborn").delete();

    eventually().until(() -> !alive(pid));
  }

  @Test
  void podWithDeletionTimestampIsStoppedAndReportedFailed() {
    startNode();
    create(shPod("finalized", "trap 'exit 0' TERM; sleep 60 & wait").editMetadata().addToFinalizers("test/hold").endMetadata().build());
    eventually().until(() -> "Running".equals(phase("finalized")));
    long pid = pid("finalized");

    client.pods().inNamespace(ns).withName("finalized").delete();

    eventually().until(() -> !alive(pid));
    eventually().until(() -> "Succeeded".equals(phase("finalized")) || "Failed".equals(phase("finalized")));
    client.pods().inNamespace(ns).withName("finalized")
        .edit(p -> { p.getMetadata().setFinalizers(List.of()); return p; });
  }

  @Test
  void duplicateEventsNeverStartASecondProcess() throws Exception {
    config = config.withResyncPeriod(java.time.Duration.ofSeconds(1));
    createClaim("counter");
    startNode();
    Pod created = create(shPod("once", "echo run >> \"$DATA/count\"; sleep 1", env("DATA", "/data"))
        .editSpec().editFirstContainer()
          .withVolumeMounts(new VolumeMountBuilder().withName("data").withMountPath("/data").build())
        .endContainer()
        .withVolumes(new VolumeBuilder().withName("data").withNewPersistentVolumeClaim("counter", false).build())
        .endSpec().build());
    for (int i = 0; i < 5; i++) {
      node.podHandler().onAdd(created);
      node.podHandler().onUpdate(created, created);
    }

    eventually().until(() -> "Succeeded".equals(phase("once")));
    for (int i = 0; i < 5; i++) {
      node.podHandler().onAdd(created);
      node.podHandler().onUpdate(created, created);
    }
    Thread.sleep(1000);
    assertThat(Files.readAllLines(config.claimDir(ns, "counter").resolve("count"))).containsExactly("run");
    assertThat(phase("once")).isEqualTo("Succeeded");
  }

  @Test
  void restartedNodeMarksPodsItNoLongerRunsAsNodeLost() {
    startNode();
    create(shPod("orphan", "sleep 60").build());
    eventually().until(() -> "Running".equals(phase("orphan")));
    long pid = pid("orphan");

    node.close();
    node = null;
    assertThat(alive(pid)).isFalse();
    assertThat(phase("orphan")).isEqualTo("Running");

    startNode();
    eventually().until(() -> "Failed".equals(phase("orphan")));
    Pod lost = get("orphan");
    assertThat(lost.getStatus().getReason()).isEqualTo("NodeLost");
    assertThat(lost.getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode()).isEqualTo(137);
  }

  @Test
  void claimIsBoundAndItsFolderDeletedWithIt() throws Exception {
    startNode();
    createClaim("run-volume");
    Path dir = config.claimDir(ns, "run-volume");

    eventually().until(() -> {
      var claim = client.persistentVolumeClaims().inNamespace(ns).withName("run-volume").get();
      return claim.getStatus() != null && "Bound".equals(claim.getStatus().getPhase()) && Files.isDirectory(dir);
    });
    assertThat(client.persistentVolumeClaims().inNamespace(ns).withName("run-volume").get().getStatus().getCapacity())
        .containsKey("storage");
    Files.writeString(dir.resolve("artifact.json"), "{}");

    client.persistentVolumeClaims().inNamespace(ns).withName("run-volume").delete();
    eventually().until(() -> !Files.exists(dir));
  }

  @Test
  void podWaitsUnscheduledForItsClaim() {
    startNode();
    create(shPod("waits-for-claim", "touch \"$D/ok\"", env("D", "/d"))
        .editSpec().editFirstContainer()
          .withVolumeMounts(new VolumeMountBuilder().withName("d").withMountPath("/d").build())
        .endContainer()
        .withVolumes(new VolumeBuilder().withName("d").withNewPersistentVolumeClaim("late-claim", false).build())
        .endSpec().build());

    eventually().untilAsserted(() -> {
      Pod p = get("waits-for-claim");
      assertThat(p.getStatus()).isNotNull();
      assertThat(p.getStatus().getConditions()).anySatisfy(c -> {
        assertThat(c.getType()).isEqualTo("PodScheduled");
        assertThat(c.getReason()).isEqualTo("Unschedulable");
      });
    });
    assertThat(get("waits-for-claim").getSpec().getNodeName()).isNull();

    createClaim("late-claim");
    eventually().until(() -> "Succeeded".equals(phase("waits-for-claim")));
    assertThat(config.claimDir(ns, "late-claim").resolve("ok")).exists();
  }
}
