package dev.dbtplatform.operator.develop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbtplatform.contract.DevelopConfig;
import dev.dbtplatform.contract.RuntimeEnv;
import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.crd.DbtDevelopSession;
import dev.dbtplatform.crd.DbtDevelopSessionSpec;
import dev.dbtplatform.crd.DbtEnvironment;
import dev.dbtplatform.crd.DbtEnvironmentSpec;
import dev.dbtplatform.crd.DbtProject;
import dev.dbtplatform.crd.DbtProjectSpec;
import dev.dbtplatform.crd.DevelopPhase;
import dev.dbtplatform.crd.GitSource;
import dev.dbtplatform.crd.ObjectRef;
import dev.dbtplatform.crd.WarehouseConnection;
import dev.dbtplatform.embedded.EmbeddedKubernetes;
import dev.dbtplatform.operator.OperatorConfig;
import dev.dbtplatform.operator.TestClock;
import dev.dbtplatform.operator.UncachedContext;
import dev.dbtplatform.operator.metrics.DevelopMetrics;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The develop session reconciler against the Kubernetes API stand-in, on a clock the test moves:
 * start, ready, idle stop, resume on the same workspace, stop on request, bad specs, a pod that
 * ends or is deleted, deletion with and without the workspace.
 */
class DevelopSessionReconcilerTest {
  static final String NS = "default";
  static final AtomicInteger SEQ = new AtomicInteger();
  static EmbeddedKubernetes kubernetes;
  static KubernetesClient client;

  /**
   * A day ahead of the wall clock, which stamps the sessions' creation: their activity then
   * counts from the time the test writes, whenever the test runs.
   */
  final Instant start = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
  final TestClock clock = new TestClock(start);
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final DevelopSessionReconciler reconciler = new DevelopSessionReconciler(client, OperatorConfig.defaults(),
      new DevelopMetrics(registry), clock);

  @BeforeAll
  static void start() {
    kubernetes = EmbeddedKubernetes.start();
    client = kubernetes.newClient();
    start(client);
  }

  /** The project shop, its development and production environments and alice's credentials. */
  static void start(KubernetesClient client) {
    DbtProject project = new DbtProject();
    project.getMetadata().setName("shop");
    project.getMetadata().setNamespace(NS);
    project.setSpec(new DbtProjectSpec());
    project.getSpec().git = new GitSource();
    project.getSpec().git.url = "https://git.example.com/shop.git";
    project.getSpec().git.ref = "main";
    project.getSpec().git.credentialsSecretRef = ObjectRef.named("shop-git");
    client.resource(project).create();
    client.resource(environment("development", DbtEnvironmentSpec.Type.development)).create();
    client.resource(environment("production", DbtEnvironmentSpec.Type.deployment)).create();
    client.resource(new SecretBuilder().withNewMetadata().withName("alice-dev").withNamespace(NS).endMetadata()
        .addToStringData("schema", "dbt_alice").build()).create();
  }

  static DbtEnvironment environment(String name, DbtEnvironmentSpec.Type type) {
    DbtEnvironment env = new DbtEnvironment();
    env.getMetadata().setName(name);
    env.getMetadata().setNamespace(NS);
    env.setSpec(new DbtEnvironmentSpec());
    env.getSpec().type = type;
    env.getSpec().projectRef = ObjectRef.named("shop");
    env.getSpec().warehouse = new WarehouseConnection("postgres", "warehouse-credentials");
    env.getSpec().dbtVersion = "1.11";
    env.getSpec().targetName = "dev";
    return env;
  }

  @AfterAll
  static void stop() {
    client.close();
    kubernetes.close();
  }

  @Test
  void startsThePodOnTheUsersWorkspaceAndIsReadyWhenThePodIs() {
    String name = newSession("alice", "development");

    reconcile(name);
    DbtDevelopSession session = read(name);
    assertThat(session.getStatus().phase).isEqualTo(DevelopPhase.Starting);
    Pod pod = pod(name);
    assertThat(pod.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(session.getMetadata().getUid()));
    Container container = pod.getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("dbt-platform/develop-runtime:dbt-1.11");
    assertThat(container.getCommand()).containsExactly(DevelopResources.COMMAND);
    assertThat(container.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health");
    DevelopConfig config = DevelopConfig.fromJson(env(container, RuntimeEnv.DEVELOP_CONFIG));
    assertThat(config.user()).isEqualTo("alice");
    assertThat(config.gitUrl()).isEqualTo("https://git.example.com/shop.git");
    assertThat(config.gitRef()).isEqualTo("main");
    assertThat(config.target()).isEqualTo("dev");
    assertThat(pod.getSpec().getVolumes()).anySatisfy(v -> assertThat(v.getSecret() != null
        && "alice-dev".equals(v.getSecret().getSecretName())).isTrue());
    assertThat(pod.getSpec().getVolumes()).anySatisfy(v -> assertThat(v.getSecret() != null
        && "shop-git".equals(v.getSecret().getSecretName())).isTrue());

    PersistentVolumeClaim workspace = client.persistentVolumeClaims().inNamespace(NS)
        .withName(session.getStatus().workspaceVolume).get();
    assertThat(workspace.getSpec().getAccessModes()).containsExactly("ReadWriteMany");
    assertThat(workspace.getMetadata().getOwnerReferences()).as("the workspace outlives the session").isNullOrEmpty();
    assertThat(client.secrets().inNamespace(NS).withName(session.getStatus().tokenSecret).get().getData())
        .containsKey(DevelopResources.TOKEN_KEY);
    assertThat(client.services().inNamespace(NS).withName(DevelopResources.serviceName(name)).get()).isNotNull();

    markReady(name);
    clock.advance(Duration.ofSeconds(7));
    UpdateControl<DbtDevelopSession> control = reconcile(name);
    DbtDevelopSession ready = read(name);
    assertThat(ready.getStatus().phase).isEqualTo(DevelopPhase.Ready);
    assertThat(ready.getStatus().endpoint).isEqualTo("http://" + DevelopResources.serviceName(name) + ".default.svc:8080");
    assertThat(ready.getStatus().readyAt).isEqualTo(start.plusSeconds(7).toString());
    assertThat(control.getScheduleDelay()).as("looked at again when it turns idle").isPresent();
    assertThat(registry.scrape()).contains("dbt_platform_develop_ready_seconds_count{kind=\"start\"} 1");
  }

  @Test
  void anIdleSessionStopsKeepsItsWorkspaceAndResumesOnActivity() {
    String name = newSession("alice", "development");
    reconcile(name);
    markReady(name);
    reconcile(name);
    String workspace = read(name).getStatus().workspaceVolume;

    clock.advance(Duration.ofSeconds(3601));
    reconcile(name);
    DbtDevelopSession stopped = read(name);
    assertThat(stopped.getStatus().phase).isEqualTo(DevelopPhase.Stopped);
    assertThat(stopped.getStatus().reason).isEqualTo("IdleTimeout");
    assertThat(stopped.getStatus().endpoint).isNull();
    assertThat(pod(name)).isNull();
    assertThat(client.persistentVolumeClaims().inNamespace(NS).withName(workspace).get()).isNotNull();

    clock.advance(Duration.ofMinutes(30));
    annotate(name, ApiGroup.LAST_ACTIVITY_ANNOTATION, clock.instant().toString());
    reconcile(name);
    DbtDevelopSession resumed = read(name);
    assertThat(resumed.getStatus().phase).isEqualTo(DevelopPhase.Starting);
    assertThat(resumed.getStatus().resumes).isEqualTo(1);
    assertThat(resumed.getStatus().workspaceVolume).isEqualTo(workspace);
    assertThat(pod(name)).isNotNull();
    markReady(name);
    clock.advance(Duration.ofSeconds(3));
    reconcile(name);
    assertThat(read(name).getStatus().phase).isEqualTo(DevelopPhase.Ready);
    assertThat(registry.scrape()).contains("dbt_platform_develop_ready_seconds_count{kind=\"resume\"} 1");
  }

  @Test
  void aStopRequestStopsAndLaterActivityResumes() {
    String name = newSession("alice", "development");
    reconcile(name);
    clock.advance(Duration.ofMinutes(1));
    annotate(name, ApiGroup.STOP_REQUESTED_ANNOTATION, clock.instant().toString());
    reconcile(name);
    assertThat(read(name).getStatus().phase).isEqualTo(DevelopPhase.Stopped);
    assertThat(read(name).getStatus().reason).isEqualTo("StopRequested");
    assertThat(pod(name)).isNull();

    clock.advance(Duration.ofSeconds(1));
    annotate(name, ApiGroup.LAST_ACTIVITY_ANNOTATION, clock.instant().toString());
    reconcile(name);
    assertThat(read(name).getStatus().phase).isEqualTo(DevelopPhase.Starting);
  }

  @Test
  void aPodThatEndsOrIsDeletedIsStartedAgainAndThereIsNeverASecond() {
    String name = newSession("alice", "development");
    reconcile(name);
    reconcile(name); // a duplicate event
    assertThat(client.pods().inNamespace(NS).withLabel(DevelopResources.SESSION_LABEL, name).list().getItems()).hasSize(1);

    Pod pod = pod(name);
    client.resource(new PodBuilder(pod).editOrNewStatus().withPhase("Failed").endStatus().build()).updateStatus();
    reconcile(name);
    assertThat(read(name).getStatus().reason).isEqualTo("Restarting");
    assertThat(pod(name)).isNull();
    reconcile(name);
    assertThat(pod(name)).isNotNull();

    client.pods().inNamespace(NS).withName(DevelopResources.podName(name)).delete();
    reconcile(name);
    assertThat(pod(name)).isNotNull();
    assertThat(read(name).getStatus().phase).isEqualTo(DevelopPhase.Starting);
  }

  @Test
  void badSpecsFailOrWaitWithAMessageAndStartNothing() {
    String deployment = newSession("alice", "production");
    reconcile(deployment);
    assertThat(read(deployment).getStatus().phase).isEqualTo(DevelopPhase.Failed);
    assertThat(read(deployment).getStatus().reason).isEqualTo("InvalidSpec");
    assertThat(read(deployment).getStatus().message).contains("'production' is a deployment environment");
    assertThat(pod(deployment)).isNull();

    String missing = newSession("alice", "no-such-environment");
    UpdateControl<DbtDevelopSession> control = reconcile(missing);
    assertThat(read(missing).getStatus().phase).isEqualTo(DevelopPhase.Pending);
    assertThat(read(missing).getStatus().message).contains("DbtEnvironment 'no-such-environment' not found");
    assertThat(control.getScheduleDelay()).isPresent();

    DbtDevelopSessionSpec noSecret = spec("bob", "development");
    noSecret.credentialsSecretRef = ObjectRef.named("bob-dev");
    String withoutSecret = create(noSecret);
    reconcile(withoutSecret);
    assertThat(read(withoutSecret).getStatus().message).contains("Secret 'bob-dev' with the development credentials");
  }

  @Test
  void eachUserHasAWorkspaceOfTheirOwnAndFindsItAgainInANewSession() {
    String first = newSession("alice", "development");
    reconcile(first);
    DbtDevelopSessionSpec bobs = spec("Bob@example.com", "development");
    String bob = create(bobs);
    reconcile(bob);
    assertThat(read(bob).getStatus().workspaceVolume).isNotEqualTo(read(first).getStatus().workspaceVolume);

    String second = newSession("alice", "development");
    reconcile(second);
    assertThat(read(second).getStatus().workspaceVolume).isEqualTo(read(first).getStatus().workspaceVolume);
  }

  @Test
  void deletingASessionKeepsTheWorkspaceUnlessAskedTo() {
    String kept = newSession("carol", "development");
    reconcile(kept);
    DbtDevelopSession session = read(kept);
    reconciler.cleanup(session, new UncachedContext<>(client));
    assertThat(pod(kept)).isNull();
    assertThat(client.services().inNamespace(NS).withName(DevelopResources.serviceName(kept)).get()).isNull();
    assertThat(client.secrets().inNamespace(NS).withName(session.getStatus().tokenSecret).get()).isNull();
    assertThat(client.persistentVolumeClaims().inNamespace(NS).withName(session.getStatus().workspaceVolume).get())
        .isNotNull();

    DbtDevelopSessionSpec spec = spec("carol", "development");
    spec.deleteWorkspaceOnDelete = true;
    String gone = create(spec);
    reconcile(gone);
    DbtDevelopSession withWorkspace = read(gone);
    reconciler.cleanup(withWorkspace, new UncachedContext<>(client));
    assertThat(client.persistentVolumeClaims().inNamespace(NS).withName(withWorkspace.getStatus().workspaceVolume).get())
        .isNull();
  }

  // ---- helpers -------------------------------------------------------------------------------

  static DbtDevelopSessionSpec spec(String user, String environment) {
    DbtDevelopSessionSpec spec = new DbtDevelopSessionSpec();
    spec.user = user;
    spec.environmentRef = ObjectRef.named(environment);
    spec.credentialsSecretRef = ObjectRef.named("alice-dev");
    return spec;
  }

  String newSession(String user, String environment) {
    return create(spec(user, environment));
  }

  String create(DbtDevelopSessionSpec spec) {
    String name = "session-" + SEQ.incrementAndGet();
    DbtDevelopSession session = new DbtDevelopSession(NS, name, spec);
    // the stand-in stamps creation with the wall clock; the session's idle time counts from the test's clock
    session.getMetadata().setAnnotations(new HashMap<>(Map.of(ApiGroup.LAST_ACTIVITY_ANNOTATION, clock.instant().toString())));
    client.resource(session).create();
    return name;
  }

  UpdateControl<DbtDevelopSession> reconcile(String name) {
    return reconciler.reconcile(read(name), new UncachedContext<>(client));
  }

  static DbtDevelopSession read(String name) {
    return client.resources(DbtDevelopSession.class).inNamespace(NS).withName(name).get();
  }

  static Pod pod(String name) {
    return client.pods().inNamespace(NS).withName(DevelopResources.podName(name)).get();
  }

  static void markReady(String name) {
    Pod pod = pod(name);
    client.resource(new PodBuilder(pod).editOrNewStatus().withPhase("Running")
        .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build()).updateStatus();
  }

  static void annotate(String name, String key, String value) {
    DbtDevelopSession session = read(name);
    session.getMetadata().getAnnotations().put(key, value);
    client.resource(session).update();
  }

  static String env(Container container, String name) {
    return container.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst().orElseThrow();
  }
}
