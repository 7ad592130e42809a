package dev.dbtplatform.operator.run;

import dev.dbtplatform.crd.ApiGroup;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Objects;

/**
 * Makes the object-store credentials available to log-flush Jobs. A Job can only read Secrets of
 * its own namespace, so when the operator is given the namespace of the original Secret it keeps
 * a copy (labelled as its own) in each namespace where it flushes runs. Without a source
 * namespace the Secret is expected to exist in every run namespace already.
 */
final class ObjectStoreCredentials {
  private final KubernetesClient client;
  private final String sourceNamespace;
  private final String secretName;

  ObjectStoreCredentials(KubernetesClient client, String sourceNamespace, String secretName) {
    this.client = client;
    this.sourceNamespace = sourceNamespace;
    this.secretName = secretName;
  }

  void ensureIn(String namespace) {
    if (sourceNamespace == null || sourceNamespace.equals(namespace)) {
      return;
    }
    Secret source = client.secrets().inNamespace(sourceNamespace).withName(secretName).get();
    if (source == null) {
      throw new IllegalStateException("object store credentials Secret " + sourceNamespace + "/" + secretName + " not found");
    }
    Secret existing = client.secrets().inNamespace(namespace).withName(secretName).get();
    if (existing != null && Objects.equals(existing.getData(), source.getData())) {
      return;
    }
    Secret copy = new SecretBuilder()
        .withNewMetadata()
          .withName(secretName)
          .withNamespace(namespace)
          .withLabels(Map.of(ApiGroup.MANAGED_BY_LABEL, ApiGroup.MANAGED_BY))
          .withAnnotations(Map.of(ApiGroup.GROUP + "/copied-from", sourceNamespace + "/" + secretName))
        .endMetadata()
        .withType(source.getType())
        .withData(source.getData())
        .build();
    if (existing == null) {
      client.resource(copy).create();
    } else {
      client.resource(copy).update();
    }
  }
}
