package dev.dbtplatform.local.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dbtplatform.embedded.EmbeddedKubernetes;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.PodResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API stand-in serves pod logs from the node's files, as LocalPlatform wires it: kubectl logs works. */
class PodLogsTest {
  static final String NS = "pod-logs";

  @TempDir
  Path root;
  LocalNodeConfig config;
  EmbeddedKubernetes kubernetes;
  KubernetesClient client;
  LocalNode node;

  @BeforeEach
  void start() {
    config = LocalNodeConfig.defaults(root).withNamespaces(Set.of(NS)).withMaxTerminationGrace(Duration.ofSeconds(1));
    kubernetes = EmbeddedKubernetes.start(new ContainerLogs(config)::read);
    client = kubernetes.newClient();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    node = LocalNode.start(client, config);
  }

  @AfterEach
  void stop() {
    node.close();
    client.close();
    kubernetes.close();
  }

  Pod shPod(String name, String script) {
    return new PodBuilder()
        .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withNewSpec()
          .withRestartPolicy("Never")
          .addNewContainer().withName("main").withImage("ignored:latest").withCommand("sh", "-c").withArgs(script).endContainer()
        .endSpec()
        .build();
  }

  @Test
  void aRunningPodsOutputIsItsLog() {
    client.pods().resource(shPod("talker", "echo first; echo second; echo third; sleep 60")).create();
    PodResource pod = client.pods().inNamespace(NS).withName("talker");

    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
        .until(() -> pod.get().getStatus() != null && "Running".equals(pod.get().getStatus().getPhase())
            && safeLog(pod).contains("third"));

    assertThat(pod.getLog()).isEqualTo("first\nsecond\nthird\n");
    assertThat(pod.inContainer("main").tailingLines(2).getLog()).isEqualTo("second\nthird\n");
    assertThat(pod.inContainer("main").limitBytes(5).getLog()).isEqualTo("first");
    assertThatThrownBy(() -> pod.inContainer("other").getLog())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(400));
  }

  @Test
  void theLogIsTheEndOfTheFileFromALineStart() throws Exception {
    Files.createDirectories(config.logFile(NS, "p", "main").getParent());
    Files.writeString(config.logFile(NS, "p", "main"), "alpha\nbeta\ngamma\n");
    ContainerLogs logs = new ContainerLogs(config);

    assertThat(logs.read(NS, "p", "main", 1000)).contains("alpha\nbeta\ngamma\n");
    assertThat(logs.read(NS, "p", "main", 8)).contains("gamma\n");
    assertThat(logs.read(NS, "p", "main", 11)).contains("beta\ngamma\n"); // starts right after a line break
    assertThat(logs.read(NS, "p", "main", 3)).contains("");
    assertThat(logs.read(NS, "p", "other", 1000)).isEmpty();
    assertThat(logs.read(NS, "..", "main", 1000)).isEmpty();
  }

  private static String safeLog(PodResource pod) {
    try {
      return pod.getLog();
    } catch (KubernetesClientException e) {
      return ""; // not started yet
    }
  }
}
