package dev.dbtplatform.operator.develop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbtplatform.crd.DbtDevelopSession;
import dev.dbtplatform.crd.DevelopPhase;
import dev.dbtplatform.embedded.EmbeddedKubernetes;
import dev.dbtplatform.operator.DbtPlatformOperator;
import dev.dbtplatform.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A develop session through the whole operator: its finalizer, the pod informer that notices the
 * pod become ready, and deletion that keeps the user's workspace.
 */
class DevelopSessionOperatorTest {
  static final String NS = DevelopSessionReconcilerTest.NS;

  @Test
  void theOperatorRunsASessionAndItsDeletionKeepsTheWorkspace() {
    try (EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start();
         KubernetesClient client = kubernetes.newClient()) {
      DevelopSessionReconcilerTest.start(client);
      try (DbtPlatformOperator operator = DbtPlatformOperator.start(client, OperatorConfig.defaults().withMetricsPort(-1),
          Clock.systemUTC())) {
        DbtDevelopSession session = new DbtDevelopSession(NS, "alice-shop",
            DevelopSessionReconcilerTest.spec("alice", "development"));
        client.resource(session).create();

        await().atMost(Duration.ofSeconds(20)).until(() -> pod(client) != null);
        Pod pod = pod(client);
        client.resource(new PodBuilder(pod).editOrNewStatus().withPhase("Running")
            .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build()).updateStatus();
        await().atMost(Duration.ofSeconds(20)).until(() -> read(client).getStatus() != null
            && read(client).getStatus().phase == DevelopPhase.Ready);
        assertThat(read(client).getMetadata().getFinalizers()).isNotEmpty();
        String workspace = read(client).getStatus().workspaceVolume;

        client.resource(read(client)).delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> read(client) == null);
        assertThat(pod(client)).isNull();
        assertThat(client.persistentVolumeClaims().inNamespace(NS).withName(workspace).get()).isNotNull();
      }
    }
  }

  private static DbtDevelopSession read(KubernetesClient client) {
    return client.resources(DbtDevelopSession.class).inNamespace(NS).withName("alice-shop").get();
  }

  private static Pod pod(KubernetesClient client) {
    return client.pods().inNamespace(NS).withName(DevelopResources.podName("alice-shop")).get();
  }
}
