package dev.dbtplatform.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pod logs through the fabric8 client, as the API server and kubectl read them. */
class EmbeddedKubernetesPodLogsTest {
  static final String NS = "logs";
  /** Output by namespace/pod/container; a container missing here has not started. */
  static final Map<String, String> OUTPUT = new ConcurrentHashMap<>();
  static EmbeddedKubernetes kubernetes;
  static KubernetesClient client;

  @BeforeAll
  static void start() {
    kubernetes = EmbeddedKubernetes.start((namespace, pod, container, tailBytes) -> {
      assertThat(tailBytes).isEqualTo(PodLogDispatcher.RETAINED_BYTES);
      return Optional.ofNullable(OUTPUT.get(namespace + "/" + pod + "/" + container));
    });
    client = kubernetes.newClient();
  }

  @AfterAll
  static void stop() {
    client.close();
    kubernetes.close();
  }

  static Pod createPod(String name, String... containers) {
    PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withNewSpec().addNewInitContainer().withName("init").withImage("busybox").endInitContainer().endSpec();
    for (String container : containers) {
      pod.editSpec().addNewContainer().withName(container).withImage("busybox").endContainer().endSpec();
    }
    return client.pods().resource(pod.build()).create();
  }

  @Test
  void answersTheLogOfAContainerWithTheRealApisOptions() throws IOException {
    createPod("run-1", "dbt");
    OUTPUT.put(NS + "/run-1/dbt", "one\ntwo\nthree\n");
    OUTPUT.put(NS + "/run-1/init", "prepared\n");

    var pod = client.pods().inNamespace(NS).withName("run-1");
    assertThat(pod.getLog()).isEqualTo("one\ntwo\nthree\n");
    assertThat(pod.inContainer("dbt").getLog()).isEqualTo("one\ntwo\nthree\n");
    assertThat(pod.inContainer("init").getLog()).isEqualTo("prepared\n");
    assertThat(pod.inContainer("dbt").tailingLines(2).getLog()).isEqualTo("two\nthree\n");
    assertThat(pod.inContainer("dbt").tailingLines(9).getLog()).isEqualTo("one\ntwo\nthree\n");
    assertThat(pod.inContainer("dbt").limitBytes(6).getLog()).isEqualTo("one\ntw");
    assertThat(pod.inContainer("dbt").limitBytes(5).tailingLines(2).getLog()).isEqualTo("two\nt");
    try (InputStream in = pod.inContainer("dbt").getLogInputStream()) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("one\ntwo\nthree\n");
    }
    // everything else is still the CRUD mock
    assertThat(pod.get().getSpec().getContainers()).hasSize(1);
  }

  @Test
  void aLastLineWithoutItsLineBreakCountsAsALine() {
    createPod("run-2", "dbt");
    OUTPUT.put(NS + "/run-2/dbt", "one\ntwo\nthr");

    assertThat(client.pods().inNamespace(NS).withName("run-2").tailingLines(1).getLog()).isEqualTo("thr");
  }

  @Test
  void answersAsTheRealApiWhenThereIsNoLogToGive() {
    createPod("run-3", "dbt");
    createPod("two-containers", "dbt", "sidecar");
    OUTPUT.put(NS + "/two-containers/dbt", "output\n");

    assertThatThrownBy(() -> client.pods().inNamespace(NS).withName("no-such-pod").getLog())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    assertThatThrownBy(() -> client.pods().inNamespace(NS).withName("run-3").getLog())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(400);
          assertThat(e.getMessage()).contains("is waiting to start");
        });
    assertThatThrownBy(() -> client.pods().inNamespace(NS).withName("run-3").inContainer("nope").getLog())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(400);
          assertThat(e.getMessage()).contains("container nope is not valid for pod run-3");
        });
    assertThatThrownBy(() -> client.pods().inNamespace(NS).withName("two-containers").getLog())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(400);
          assertThat(e.getMessage()).contains("a container name must be specified");
        });
    assertThat(client.pods().inNamespace(NS).withName("two-containers").inContainer("dbt").getLog()).isEqualTo("output\n");
  }

  @Test
  void aDeletedPodHasNoLogAnyMore() {
    createPod("run-4", "dbt");
    OUTPUT.put(NS + "/run-4/dbt", "output\n");
    client.pods().inNamespace(NS).withName("run-4").delete();

    assertThatThrownBy(() -> client.pods().inNamespace(NS).withName("run-4").getLog())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
  }

  @Test
  void withoutALogSourceAContainerHasNotStarted() {
    try (EmbeddedKubernetes plain = EmbeddedKubernetes.start(); KubernetesClient plainClient = plain.newClient()) {
      plainClient.pods().resource(new PodBuilder().withNewMetadata().withName("p").withNamespace(NS).endMetadata()
          .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build()).create();

      assertThatThrownBy(() -> plainClient.pods().inNamespace(NS).withName("p").getLog())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(400));
    }
  }
}
