package dev.dbtplatform.operator.resources;

import dev.dbtplatform.contract.FlushConfig;
import dev.dbtplatform.contract.RuntimeEnv;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a log-flush Job: mounts the run volume read-only and uploads it. Only this pod holds
 * object-store credentials; the run pod never does.
 */
public final class FlushJobFactory {
  private FlushJobFactory() {}

  public static final String CONTAINER = "flush";
  public static final String COMMAND = "dbt-platform-flush";
  /** Retries inside one Job; the operator starts a new Job (with its own backoff) after that. */
  static final int BACKOFF_LIMIT = 2;

  public static Job build(DbtRun run, int attempt, FlushConfig flush, OperatorConfig config) {
    List<EnvVar> env = new ArrayList<>(List.of(
        new EnvVar(RuntimeEnv.FLUSH_CONFIG, flush.toJson(), null),
        new EnvVar(RuntimeEnv.WORKSPACE, RuntimeEnv.DEFAULT_WORKSPACE, null),
        new EnvVar(RuntimeEnv.TERMINATION_LOG, RuntimeEnv.DEFAULT_TERMINATION_LOG, null)));
    env.addAll(storeCredentials(config));
    return new JobBuilder()
        .withMetadata(RunLabels.metadata(run, ResourceNames.flushJob(run.getMetadata().getName(), attempt),
            RunLabels.COMPONENT_LOG_FLUSH))
        .withNewSpec()
          .withBackoffLimit(BACKOFF_LIMIT)
          .withNewTemplate()
            .withNewMetadata()
              .withLabels(RunLabels.labels(run, RunLabels.COMPONENT_LOG_FLUSH))
              .withAnnotations(RunLabels.annotations(run))
            .endMetadata()
            .withNewSpec()
              .withRestartPolicy("Never")
              .withAutomountServiceAccountToken(false)
              .withEnableServiceLinks(false)
              .withSecurityContext(RunPodFactory.restrictedPod())
              .withContainers(new ContainerBuilder()
                  .withName(CONTAINER)
                  .withImage(config.flushImage())
                  .withCommand(COMMAND)
                  .withEnv(env)
                  .withVolumeMounts(
                      RunPodFactory.mount("workspace", RuntimeEnv.DEFAULT_WORKSPACE, true),
                      RunPodFactory.mount("tmp", "/tmp", false))
                  .withResources(new ResourceRequirementsBuilder()
                      .addToRequests("cpu", new Quantity("100m"))
                      .addToRequests("memory", new Quantity("256Mi"))
                      .addToLimits("memory", new Quantity("512Mi"))
                      .build())
                  .withTerminationMessagePath(RuntimeEnv.DEFAULT_TERMINATION_LOG)
                  .withTerminationMessagePolicy("File")
                  .withSecurityContext(RunPodFactory.restrictedContainer())
                  .build())
              .withVolumes(
                  new VolumeBuilder().withName("workspace")
                      .withNewPersistentVolumeClaim(ResourceNames.runVolume(run.getMetadata().getName()), true).build(),
                  new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build())
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  /** The object store's credentials, from the Secret the operator copies into the run's namespace. */
  static List<EnvVar> storeCredentials(OperatorConfig config) {
    String credentials = config.objectStore().credentialsSecret();
    return List.of(
        secretEnv("AWS_ACCESS_KEY_ID", credentials, OperatorConfig.ACCESS_KEY_ID_KEY),
        secretEnv("AWS_SECRET_ACCESS_KEY", credentials, OperatorConfig.SECRET_ACCESS_KEY_KEY));
  }

  private static EnvVar secretEnv(String name, String secret, String key) {
    return new EnvVarBuilder().withName(name)
        .withNewValueFrom().withNewSecretKeyRef(key, secret, false).endValueFrom()
        .build();
  }
}
