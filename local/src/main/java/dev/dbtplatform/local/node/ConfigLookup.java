package dev.dbtplatform.local.node;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/** Where a pod's Secrets, ConfigMaps and claims are read from when it starts. */
interface ConfigLookup {
  Optional<Secret> secret(String namespace, String name);

  Optional<ConfigMap> configMap(String namespace, String name);

  Optional<PersistentVolumeClaim> claim(String namespace, String name);

  /** Reads straight from the API, so a pod sees a Secret created just before it. */
  static ConfigLookup of(KubernetesClient client) {
    return new ConfigLookup() {
      @Override
      public Optional<Secret> secret(String namespace, String name) {
        return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get());
      }

      @Override
      public Optional<ConfigMap> configMap(String namespace, String name) {
        return Optional.ofNullable(client.configMaps().inNamespace(namespace).withName(name).get());
      }

      @Override
      public Optional<PersistentVolumeClaim> claim(String namespace, String name) {
        return Optional.ofNullable(client.persistentVolumeClaims().inNamespace(namespace).withName(name).get());
      }
    };
  }
}
