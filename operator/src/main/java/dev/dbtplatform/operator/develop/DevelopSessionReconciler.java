package dev.dbtplatform.operator.develop;

import dev.dbtplatform.contract.Json;
import dev.dbtplatform.crd.DbtDevelopSession;
import dev.dbtplatform.crd.DbtDevelopSessionStatus;
import dev.dbtplatform.crd.DevelopPhase;
import dev.dbtplatform.operator.OperatorConfig;
import dev.dbtplatform.operator.metrics.DevelopMetrics;
import dev.dbtplatform.operator.resources.RunLabels;
import dev.dbtplatform.operator.status.Conditions;
import dev.dbtplatform.operator.status.StatusWriter;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a user's develop session: the workspace volume (the user's, kept), the token Secret, the
 * Service and the develop pod while the session is active; no pod once it has been idle for its
 * timeout or a stop was asked for (phase Stopped); the pod again on the next activity. The pod
 * has a fixed name and AlreadyExists counts as created, so there is never a second one.
 * Deleting the session deletes what it owns, and the workspace only when its spec says so.
 */
public final class DevelopSessionReconciler implements Reconciler<DbtDevelopSession>, Cleaner<DbtDevelopSession> {
  private static final Logger log = LoggerFactory.getLogger(DevelopSessionReconciler.class);
  public static final String READY = "Ready";
  static final Duration RECHECK_WAITING = Duration.ofSeconds(15);
  static final Duration STALE_RETRY = Duration.ofMillis(200);

  private final KubernetesClient client;
  private final OperatorConfig config;
  private final DevelopResolver resolver;
  private final DevelopMetrics metrics;
  private final StatusWriter statusWriter;
  private final Clock clock;

  public DevelopSessionReconciler(KubernetesClient client, OperatorConfig config, DevelopMetrics metrics, Clock clock) {
    this.client = client;
    this.config = config;
    this.resolver = new DevelopResolver(client, config);
    this.metrics = metrics;
    this.statusWriter = new StatusWriter(client);
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, DbtDevelopSession>> prepareEventSources(EventSourceContext<DbtDevelopSession> context) {
    metrics.readSessionsFrom(() -> context.getPrimaryCache().list().toList());
    InformerEventSource<Pod, DbtDevelopSession> pods = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Pod.class, DbtDevelopSession.class)
            .withName("develop-pods")
            .withLabelSelector(RunLabels.MANAGED_SELECTOR + ",app.kubernetes.io/component=" + DevelopResources.COMPONENT)
            .withSecondaryToPrimaryMapper(pod -> sessionOf(pod))
            .build(), context);
    return List.of(pods);
  }

  private static Set<ResourceID> sessionOf(HasMetadata object) {
    return object.getMetadata().getOwnerReferences() == null ? Set.of()
        : object.getMetadata().getOwnerReferences().stream()
            .filter(o -> DbtDevelopSession.class.getSimpleName().equals(o.getKind()))
            .map(o -> new ResourceID(o.getName(), object.getMetadata().getNamespace()))
            .collect(java.util.stream.Collectors.toSet());
  }

  @Override
  public UpdateControl<DbtDevelopSession> reconcile(DbtDevelopSession session, Context<DbtDevelopSession> context) {
    if (session.getStatus() == null) {
      session.setStatus(new DbtDevelopSessionStatus());
    }
    DbtDevelopSessionStatus status = session.getStatus();
    String before = Json.write(status);
    Instant now = clock.instant();
    status.observedGeneration = session.getMetadata().getGeneration();
    SessionActivity activity = SessionActivity.of(session);
    status.lastActivity = activity.lastActivity().toString();

    Optional<Duration> recheck;
    DevelopResolver.Outcome outcome = resolver.resolve(session);
    if (outcome instanceof DevelopResolver.Invalid invalid) {
      stopPod(session);
      setPhase(session, DevelopPhase.Failed, "InvalidSpec", invalid.message(), now);
      recheck = Optional.empty(); // only an edit fixes it, and an edit is an event
    } else if (!activity.wantsToRun(now)) {
      stopPod(session);
      boolean asked = activity.stopWasRequested();
      setPhase(session, DevelopPhase.Stopped, asked ? "StopRequested" : "IdleTimeout", asked
          ? "stopped on request; the workspace is kept and the next request resumes the session"
          : "stopped after " + activity.idleTimeout().toSeconds() + "s without dbt commands or previews; the workspace "
              + "is kept and the next request resumes the session", now);
      recheck = Optional.empty(); // activity arrives as an annotation change, which is an event
    } else if (outcome instanceof DevelopResolver.Waiting waiting) {
      stopPod(session);
      setPhase(session, DevelopPhase.Pending, "ReferenceNotFound", waiting.message(), now);
      recheck = Optional.of(RECHECK_WAITING);
    } else {
      recheck = run(session, (DevelopResolver.Resolved) outcome, activity, now);
    }
    if (!before.equals(Json.write(status)) && statusWriter.write(DbtDevelopSession.class, session).isEmpty()) {
      return UpdateControl.<DbtDevelopSession>noUpdate().rescheduleAfter(STALE_RETRY);
    }
    UpdateControl<DbtDevelopSession> control = UpdateControl.noUpdate();
    recheck.ifPresent(control::rescheduleAfter);
    return control;
  }

  /** Makes sure everything runs; returns when to look again: when the session turns idle. */
  private Optional<Duration> run(DbtDevelopSession session, DevelopResolver.Resolved resolved, SessionActivity activity,
                                 Instant now) {
    DbtDevelopSessionStatus status = session.getStatus();
    String name = session.getMetadata().getName();
    String namespace = session.getMetadata().getNamespace();
    Duration untilIdle = Duration.between(now, activity.idleAt()).plusSeconds(1);
    if (status.phase == null || status.phase == DevelopPhase.Stopped || status.phase == DevelopPhase.Pending
        || status.phase == DevelopPhase.Failed || status.startRequestedAt == null) {
      if (status.phase == DevelopPhase.Stopped) {
        status.resumes = (status.resumes == null ? 0 : status.resumes) + 1;
      }
      status.startRequestedAt = now.toString();
      status.readyAt = null;
    }
    Secret token = createOrGet(DevelopResources.tokenSecret(session));
    status.tokenSecret = token.getMetadata().getName();
    PersistentVolumeClaim workspace = createOrGet(DevelopResources.workspace(session, resolved.project(),
        config.develop().volumeSize(), config.develop().storageClass()));
    status.workspaceVolume = workspace.getMetadata().getName();
    createOrGet(DevelopResources.service(session));

    Pod pod = client.pods().inNamespace(namespace).withName(DevelopResources.podName(name)).get();
    if (pod != null && !DevelopResources.isOwnedBy(pod, session)) {
      setPhase(session, DevelopPhase.Pending, "PodOfEarlierSession", "waiting for pod " + pod.getMetadata().getName()
          + " of an earlier session with this name to be removed", now);
      return Optional.of(STALE_RETRY.multipliedBy(10));
    }
    if (pod != null && isFinished(pod)) {
      // The runtime exited (crash, node lost): start it again on the same workspace.
      log.info("DbtDevelopSession {}/{}: pod {} ended ({}), starting it again", namespace, name,
          pod.getMetadata().getName(), pod.getStatus().getPhase());
      client.resource(pod).delete();
      setPhase(session, DevelopPhase.Starting, "Restarting", "the develop pod ended (" + pod.getStatus().getPhase()
          + "); starting it again", now);
      return Optional.of(Duration.ofSeconds(1));
    }
    if (pod == null) {
      pod = createOrGet(DevelopResources.pod(session, resolved.config(), resolved.image(), workspace.getMetadata().getName(),
          resolved.credentialsSecret(), resolved.gitCredentialsSecret()));
      log.info("DbtDevelopSession {}/{}: created pod {}", namespace, name, pod.getMetadata().getName());
    }
    status.podName = pod.getMetadata().getName();
    status.endpoint = DevelopResources.endpoint(session);
    if (isReady(pod)) {
      if (status.phase != DevelopPhase.Ready) {
        status.readyAt = now.toString();
        Instant asked = Instant.parse(status.startRequestedAt);
        metrics.ready(status.resumes != null && status.resumes > 0, Duration.between(asked, now));
      }
      setPhase(session, DevelopPhase.Ready, "Ready", "the develop runtime answers at " + status.endpoint, now);
    } else {
      setPhase(session, DevelopPhase.Starting, "PodStarting", "waiting for pod " + pod.getMetadata().getName()
          + " to be ready", now);
    }
    return Optional.of(untilIdle);
  }

  @Override
  public DeleteControl cleanup(DbtDevelopSession session, Context<DbtDevelopSession> context) {
    String name = session.getMetadata().getName();
    String namespace = session.getMetadata().getNamespace();
    // Owner references would do this in a cluster; doing it here also covers API stand-ins without GC.
    client.pods().inNamespace(namespace).withName(DevelopResources.podName(name)).delete();
    client.services().inNamespace(namespace).withName(DevelopResources.serviceName(name)).delete();
    client.secrets().inNamespace(namespace).withName(DevelopResources.tokenSecretName(name)).delete();
    boolean deleteWorkspace = session.getSpec() != null && Boolean.TRUE.equals(session.getSpec().deleteWorkspaceOnDelete);
    String workspace = session.getStatus() == null ? null : session.getStatus().workspaceVolume;
    if (deleteWorkspace && workspace != null) {
      client.persistentVolumeClaims().inNamespace(namespace).withName(workspace).delete();
      log.info("DbtDevelopSession {}/{} deleted with its workspace {}", namespace, name, workspace);
    }
    return DeleteControl.defaultDelete();
  }

  private void stopPod(DbtDevelopSession session) {
    DbtDevelopSessionStatus status = session.getStatus();
    String podName = DevelopResources.podName(session.getMetadata().getName());
    Pod pod = client.pods().inNamespace(session.getMetadata().getNamespace()).withName(podName).get();
    if (pod != null && DevelopResources.isOwnedBy(pod, session)) {
      client.resource(pod).delete();
      log.info("DbtDevelopSession {}/{}: stopped pod {}", session.getMetadata().getNamespace(),
          session.getMetadata().getName(), podName);
    }
    status.podName = null;
    status.endpoint = null;
  }

  private void setPhase(DbtDevelopSession session, DevelopPhase phase, String reason, String message, Instant now) {
    DbtDevelopSessionStatus status = session.getStatus();
    if (phase == DevelopPhase.Stopped && status.phase != DevelopPhase.Stopped) {
      status.stoppedAt = now.toString();
      status.startRequestedAt = null;
    }
    status.phase = phase;
    status.reason = reason;
    status.message = message;
    Conditions.set(status.conditions, status.observedGeneration, READY,
        phase == DevelopPhase.Ready ? Conditions.TRUE : Conditions.FALSE, reason, message, now);
  }

  private <T extends HasMetadata> T createOrGet(T object) {
    try {
      return client.resource(object).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      T existing = client.resource(object).get();
      return existing != null ? existing : object;
    }
  }

  private static boolean isFinished(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private static boolean isReady(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return false;
    }
    return pod.getStatus().getConditions().stream()
        .anyMatch((PodCondition c) -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
