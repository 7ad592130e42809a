package dev.dbtplatform.operator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.embedded.EmbeddedKubernetes;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ObjectStoreCredentialsTest {

  @Test
  void copiesTheSecretIntoRunNamespacesAndKeepsTheCopyCurrent() {
    try (EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start()) {
      var client = kubernetes.client();
      client.resource(secret("dbt-platform-system", "AKIA1")).create();
      ObjectStoreCredentials credentials = new ObjectStoreCredentials(client, "dbt-platform-system", "store");

      credentials.ensureIn("analytics");
      Secret copy = client.secrets().inNamespace("analytics").withName("store").get();
      assertThat(copy.getData()).containsEntry("access-key-id", b64("AKIA1"));
      assertThat(copy.getMetadata().getLabels()).containsEntry(ApiGroup.MANAGED_BY_LABEL, ApiGroup.MANAGED_BY);

      client.resource(secret("dbt-platform-system", "AKIA2")).update();
      credentials.ensureIn("analytics");
      assertThat(client.secrets().inNamespace("analytics").withName("store").get().getData())
          .containsEntry("access-key-id", b64("AKIA2"));
    }
  }

  @Test
  void aMissingSourceSecretIsAClearError() {
    try (EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start()) {
      ObjectStoreCredentials credentials = new ObjectStoreCredentials(kubernetes.client(), "dbt-platform-system", "store");
      assertThatThrownBy(() -> credentials.ensureIn("analytics"))
          .hasMessageContaining("dbt-platform-system/store not found");
    }
  }

  private static Secret secret(String namespace, String keyId) {
    return new SecretBuilder().withNewMetadata().withName("store").withNamespace(namespace).endMetadata()
        .addToData("access-key-id", b64(keyId))
        .addToData("secret-access-key", b64("s3cr3t"))
        .build();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes());
  }
}
