package dev.dbtplatform.operator.resources;

import dev.dbtplatform.contract.FlushConfig;
import dev.dbtplatform.contract.RuntimeEnv;
import dev.dbtplatform.crd.ResolvedRun;
import dev.dbtplatform.crd.SuccessfulRun;
import dev.dbtplatform.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The run pod's init container of a deferring run: puts the deferred run's manifest.json on the
 * run volume before dbt starts. It runs the log flusher's image, which has the object store
 * client, so that the store's credentials reach this container only and never dbt's.
 */
public final class StateFetchContainer {
  private StateFetchContainer() {}

  public static final String NAME = "fetch-state";
  public static final String COMMAND = "dbt-platform-fetch-state";
  /** A run waits for its state at most this long: a store that is down must not hold runs back for long. */
  static final long RETRY_SECONDS = 60;

  /** The init container, or none when the run does not defer or there is nothing to defer to yet. */
  public static List<Container> forRun(ResolvedRun resolved, OperatorConfig config) {
    SuccessfulRun deferred = resolved.deferral == null ? null : resolved.deferral.run;
    if (deferred == null) {
      return List.of();
    }
    OperatorConfig.ObjectStore store = config.objectStore();
    FlushConfig where = new FlushConfig(store.endpoint(), store.region(), deferred.bucket, store.pathStyle(),
        deferred.prefix, RETRY_SECONDS);
    List<EnvVar> env = new ArrayList<>(List.of(
        new EnvVar(RuntimeEnv.STATE_FETCH_CONFIG, where.toJson(), null),
        new EnvVar(RuntimeEnv.WORKSPACE, RuntimeEnv.DEFAULT_WORKSPACE, null),
        new EnvVar(RuntimeEnv.TERMINATION_LOG, RuntimeEnv.DEFAULT_TERMINATION_LOG, null)));
    env.addAll(FlushJobFactory.storeCredentials(config));
    return List.of(new ContainerBuilder()
        .withName(NAME)
        .withImage(config.flushImage())
        .withCommand(COMMAND)
        .withEnv(env)
        .withVolumeMounts(
            RunPodFactory.mount("workspace", RuntimeEnv.DEFAULT_WORKSPACE, false),
            RunPodFactory.mount("tmp", "/tmp", false))
        .withResources(new ResourceRequirementsBuilder()
            .addToRequests("cpu", new Quantity("100m"))
            .addToRequests("memory", new Quantity("128Mi"))
            .addToLimits("memory", new Quantity("256Mi"))
            .build())
        .withTerminationMessagePath(RuntimeEnv.DEFAULT_TERMINATION_LOG)
        .withTerminationMessagePolicy("File")
        .withSecurityContext(RunPodFactory.restrictedContainer())
        .build());
  }
}
