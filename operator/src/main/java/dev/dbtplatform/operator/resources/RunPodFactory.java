package dev.dbtplatform.operator.resources;

import dev.dbtplatform.contract.RunConfig;
import dev.dbtplatform.contract.RunPod;
import dev.dbtplatform.contract.RuntimeEnv;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.EnvVarSpec;
import dev.dbtplatform.crd.ResolvedRun;
import dev.dbtplatform.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SeccompProfileBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the run pod from a resolved run: spec in, object out, no cluster needed. */
public final class RunPodFactory {
  private RunPodFactory() {}

  public static final String CONTAINER = RunPod.CONTAINER;
  public static final String COMMAND = "dbt-platform-run";
  static final long RUN_AS_USER = 1000;
  static final long TERMINATION_GRACE_SECONDS = 30;

  /** @param config where the deferred state comes from (the object store) and with what image */
  public static Pod build(DbtRun run, ResolvedRun resolved, OperatorConfig config) {
    String name = ResourceNames.runPod(run.getMetadata().getName());
    List<VolumeMount> mounts = new ArrayList<>();
    List<Volume> volumes = new ArrayList<>();
    mounts.add(mount("workspace", RuntimeEnv.DEFAULT_WORKSPACE, false));
    volumes.add(new VolumeBuilder().withName("workspace")
        .withNewPersistentVolumeClaim(ResourceNames.runVolume(run.getMetadata().getName()), false).build());
    mounts.add(mount("warehouse", RuntimeEnv.DEFAULT_WAREHOUSE_DIR, true));
    volumes.add(secretVolume("warehouse", resolved.warehouseSecret));
    if (resolved.gitCredentialsSecret != null) {
      mounts.add(mount("git-credentials", RuntimeEnv.DEFAULT_GIT_CREDENTIALS_DIR, true));
      volumes.add(secretVolume("git-credentials", resolved.gitCredentialsSecret));
    }
    // The root filesystem is read-only; dbt and git need a writable home and temp folder.
    mounts.add(mount("tmp", "/tmp", false));
    volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());

    return new PodBuilder()
        .withMetadata(RunLabels.metadata(run, name, RunLabels.COMPONENT_RUN))
        .withNewSpec()
          .withRestartPolicy("Never")
          .withAutomountServiceAccountToken(false)
          .withEnableServiceLinks(false)
          .withTerminationGracePeriodSeconds(TERMINATION_GRACE_SECONDS)
          .withSecurityContext(restrictedPod())
          .withInitContainers(StateFetchContainer.forRun(resolved, config))
          .withContainers(new ContainerBuilder()
              .withName(CONTAINER)
              .withImage(resolved.image)
              .withCommand(COMMAND)
              .withEnv(env(run, resolved))
              .withVolumeMounts(mounts)
              .withResources(resources(resolved.resources))
              .withTerminationMessagePath(RuntimeEnv.DEFAULT_TERMINATION_LOG)
              .withTerminationMessagePolicy("File")
              .withSecurityContext(restrictedContainer())
              .build())
          .withVolumes(volumes)
        .endSpec()
        .build();
  }

  /** The restricted Pod Security Standard for the pod: a fixed non-root user, the default seccomp profile. */
  public static PodSecurityContext restrictedPod() {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(RUN_AS_USER)
        .withRunAsGroup(RUN_AS_USER)
        .withFsGroup(RUN_AS_USER)
        .withSeccompProfile(new SeccompProfileBuilder().withType("RuntimeDefault").build())
        .build();
  }

  /** The restricted Pod Security Standard for a container: non-root, no escalation, no capabilities. */
  public static SecurityContext restrictedContainer() {
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withRunAsNonRoot(true)
        .withCapabilities(new Capabilities(null, List.of("ALL")))
        .build();
  }

  public static RunConfig runConfig(DbtRun run, ResolvedRun resolved) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVarSpec var : resolved.env) {
      env.put(var.name, var.value == null ? "" : var.value);
    }
    return new RunConfig(resolved.accountId, run.getMetadata().getNamespace(), run.getMetadata().getName(),
        resolved.runId, resolved.jobId, resolved.projectId, resolved.environmentId,
        resolved.runReason, resolved.runReasonCategory, resolved.gitUrl, resolved.gitRef, resolved.subdirectory,
        resolved.steps, resolved.target, resolved.schema, resolved.threads, resolved.timeoutSeconds == null ? 0 : resolved.timeoutSeconds,
        resolved.adapterType, env, Boolean.TRUE.equals(resolved.runGenerateSources),
        Boolean.TRUE.equals(resolved.generateDocs), resolved.deferral == null ? null : resolved.deferral.description);
  }

  private static List<EnvVar> env(DbtRun run, ResolvedRun resolved) {
    List<EnvVar> env = new ArrayList<>();
    env.add(new EnvVar(RuntimeEnv.RUN_CONFIG, runConfig(run, resolved).toJson(), null));
    env.add(new EnvVar(RuntimeEnv.WORKSPACE, RuntimeEnv.DEFAULT_WORKSPACE, null));
    env.add(new EnvVar(RuntimeEnv.WAREHOUSE_DIR, RuntimeEnv.DEFAULT_WAREHOUSE_DIR, null));
    if (resolved.gitCredentialsSecret != null) {
      env.add(new EnvVar(RuntimeEnv.GIT_CREDENTIALS_DIR, RuntimeEnv.DEFAULT_GIT_CREDENTIALS_DIR, null));
    }
    env.add(new EnvVar(RuntimeEnv.TERMINATION_LOG, RuntimeEnv.DEFAULT_TERMINATION_LOG, null));
    env.add(new EnvVar("HOME", "/tmp", null));
    return env;
  }

  static ResourceRequirements resources(ResourceRequirements requested) {
    if (requested != null) {
      return requested;
    }
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity("250m"))
        .addToRequests("memory", new Quantity("512Mi"))
        .addToLimits("memory", new Quantity("2Gi"))
        .build();
  }

  public static VolumeMount mount(String name, String path, boolean readOnly) {
    return new VolumeMountBuilder().withName(name).withMountPath(path).withReadOnly(readOnly).build();
  }

  private static Volume secretVolume(String name, String secretName) {
    return new VolumeBuilder().withName(name)
        .withNewSecret().withSecretName(secretName).withDefaultMode(0400).endSecret()
        .build();
  }
}
