package dev.dbtplatform.operator.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbtplatform.embedded.EmbeddedKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

/** A deletion decided on what was read never applies to what the object has become since. */
class UnchangedDeletionTest {

  @Test
  void deletesWhatIsUnchangedAndNothingElse() {
    try (EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start()) {
      KubernetesClient client = kubernetes.newClient();
      ConfigMap read = client.resource(new ConfigMapBuilder()
          .withNewMetadata().withName("thing").withNamespace("default").endMetadata()
          .addToData("v", "1").build()).create();
      client.configMaps().inNamespace("default").withName("thing").edit(c -> {
        c.getData().put("v", "2");
        return c;
      });

      assertThat(UnchangedDeletion.delete(client, read)).as("changed since it was read").isFalse();
      assertThat(client.resource(read).get()).isNotNull();

      ConfigMap fresh = client.resource(read).get();
      assertThat(UnchangedDeletion.delete(client, fresh)).isTrue();
      assertThat(client.resource(read).get()).isNull();
      assertThat(UnchangedDeletion.delete(client, fresh)).as("already gone").isFalse();
    }
  }
}
