package dev.dbtplatform.operator.environment;

import dev.dbtplatform.contract.Json;
import dev.dbtplatform.crd.DbtEnvironment;
import dev.dbtplatform.crd.DbtEnvironmentSpec;
import dev.dbtplatform.crd.DbtProject;
import dev.dbtplatform.crd.ResourceStatus;
import dev.dbtplatform.operator.status.Conditions;
import dev.dbtplatform.operator.status.StatusWriter;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;

/**
 * Tells whether an environment can run: its Ready condition is True when the project and the
 * warehouse Secret it names exist, and False with ProjectNotFound or SecretNotFound otherwise,
 * so a GitOps user sees a missing piece before a run fails on it. Neither is watched (the
 * operator caches no Secrets): an environment that is not ready is checked again every 15 s,
 * one that is ready every 5 minutes.
 */
public final class DbtEnvironmentReconciler implements Reconciler<DbtEnvironment> {
  public static final String READY = "Ready";
  static final Duration RECHECK_NOT_READY = Duration.ofSeconds(15);
  static final Duration RECHECK_READY = Duration.ofMinutes(5);

  private final KubernetesClient client;
  private final StatusWriter statusWriter;
  private final Clock clock;

  public DbtEnvironmentReconciler(KubernetesClient client, Clock clock) {
    this.client = client;
    this.statusWriter = new StatusWriter(client);
    this.clock = clock;
  }

  @Override
  public UpdateControl<DbtEnvironment> reconcile(DbtEnvironment environment, Context<DbtEnvironment> context) {
    if (environment.getStatus() == null) {
      environment.setStatus(new ResourceStatus());
    }
    ResourceStatus status = environment.getStatus();
    String before = Json.write(status);
    String problem = problem(environment);
    status.observedGeneration = environment.getMetadata().getGeneration();
    if (problem == null) {
      Conditions.set(status.conditions, status.observedGeneration, READY, Conditions.TRUE, "Ready",
          "project and warehouse Secret found", clock.instant());
    } else {
      String reason = problem.startsWith("DbtProject") ? "ProjectNotFound"
          : problem.startsWith("Secret") ? "SecretNotFound" : "InvalidSpec";
      Conditions.set(status.conditions, status.observedGeneration, READY, Conditions.FALSE, reason, problem,
          clock.instant());
    }
    if (!before.equals(Json.write(status)) && statusWriter.write(DbtEnvironment.class, environment).isEmpty()) {
      return UpdateControl.<DbtEnvironment>noUpdate().rescheduleAfter(Duration.ofMillis(200));
    }
    return UpdateControl.<DbtEnvironment>noUpdate()
        .rescheduleAfter(problem == null ? RECHECK_READY : RECHECK_NOT_READY);
  }

  /** What keeps the environment from running, or null. */
  private String problem(DbtEnvironment environment) {
    String namespace = environment.getMetadata().getNamespace();
    DbtEnvironmentSpec spec = environment.getSpec();
    if (spec == null || spec.projectRef == null || blank(spec.projectRef.name)) {
      return "spec.projectRef.name is missing";
    }
    if (spec.warehouse == null || spec.warehouse.secretRef == null || blank(spec.warehouse.secretRef.name)) {
      return "spec.warehouse.secretRef.name is missing";
    }
    if (client.resources(DbtProject.class).inNamespace(namespace).withName(spec.projectRef.name).get() == null) {
      return "DbtProject '" + spec.projectRef.name + "' not found in namespace " + namespace;
    }
    Secret secret = client.secrets().inNamespace(namespace).withName(spec.warehouse.secretRef.name).get();
    if (secret == null) {
      return "Secret '" + spec.warehouse.secretRef.name + "' with the warehouse connection not found in namespace " + namespace;
    }
    return null;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
