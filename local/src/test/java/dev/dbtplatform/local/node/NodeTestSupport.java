package dev.dbtplatform.local.node;

import static org.awaitility.Awaitility.await;

import dev.dbtplatform.embedded.EmbeddedKubernetes;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** One embedded API per test class, a namespace and a node root per test. */
abstract class NodeTestSupport {
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  static EmbeddedKubernetes kubernetes;
  static KubernetesClient client;

  @TempDir
  Path root;
  String ns;
  LocalNodeConfig config;
  LocalNode node;

  @BeforeAll
  static void startApi() {
    kubernetes = EmbeddedKubernetes.start();
    client = kubernetes.newClient();
  }

  @AfterAll
  static void stopApi() {
    client.close();
    kubernetes.close();
  }

  @BeforeEach
  void namespace() {
    ns = "test-" + NAMESPACES.incrementAndGet();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    config = LocalNodeConfig.defaults(root)
        .withNamespaces(Set.of(ns))
        .withJobBackoffBase(Duration.ofMillis(100))
        .withMaxTerminationGrace(Duration.ofSeconds(1))
        .withRetryInterval(Duration.ofMillis(200))
        .withEchoLogs(true);
  }

  @AfterEach
  void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  LocalNode startNode() {
    node = LocalNode.start(client, config);
    return node;
  }

  static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50));
  }

  /** A restartPolicy Never pod running {@code sh -c script} in the test namespace. */
  PodBuilder shPod(String name, String script, EnvVar... env) {
    return new PodBuilder()
        .withNewMetadata().withName(name).withNamespace(ns).addToLabels("app", "test").endMetadata()
        .withNewSpec()
          .withRestartPolicy("Never")
          .withTerminationGracePeriodSeconds(30L)
          .addNewContainer()
            .withName("main")
            .withImage("ignored:latest")
            .withCommand("sh", "-c")
            .withArgs(script)
            .withEnv(env)
          .endContainer()
        .endSpec();
  }

  static EnvVar env(String name, String value) {
    return new EnvVar(name, value, null);
  }

  PersistentVolumeClaim createClaim(String name) {
    return client.persistentVolumeClaims().resource(new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
        .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources().addToRequests("storage", new Quantity("1Gi"))
        .endResources().endSpec().build()).create();
  }

  Pod create(Pod pod) {
    return client.pods().resource(pod).create();
  }

  Pod get(String name) {
    return client.pods().inNamespace(ns).withName(name).get();
  }

  String phase(String name) {
    Pod p = get(name);
    return p == null || p.getStatus() == null ? null : p.getStatus().getPhase();
  }

  ContainerStatus containerStatus(String name) {
    Pod p = get(name);
    if (p == null || p.getStatus() == null || p.getStatus().getContainerStatuses() == null
        || p.getStatus().getContainerStatuses().isEmpty()) {
      return null;
    }
    return p.getStatus().getContainerStatuses().get(0);
  }

  /** The pid of a running container, from its containerID {@code local://<pid>}. */
  long pid(String name) {
    String id = containerStatus(name).getContainerID();
    return Long.parseLong(id.substring("local://".length()));
  }

  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
