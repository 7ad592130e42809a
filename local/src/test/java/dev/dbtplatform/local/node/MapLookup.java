package dev.dbtplatform.local.node;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A {@link ConfigLookup} over maps, for pure tests. */
final class MapLookup implements ConfigLookup {
  final Map<String, Secret> secrets = new HashMap<>();
  final Map<String, ConfigMap> configMaps = new HashMap<>();
  final Map<String, PersistentVolumeClaim> claims = new HashMap<>();

  MapLookup secret(Secret s) {
    secrets.put(s.getMetadata().getNamespace() + "/" + s.getMetadata().getName(), s);
    return this;
  }

  MapLookup configMap(ConfigMap c) {
    configMaps.put(c.getMetadata().getNamespace() + "/" + c.getMetadata().getName(), c);
    return this;
  }

  @Override
  public Optional<Secret> secret(String namespace, String name) {
    return Optional.ofNullable(secrets.get(namespace + "/" + name));
  }

  @Override
  public Optional<ConfigMap> configMap(String namespace, String name) {
    return Optional.ofNullable(configMaps.get(namespace + "/" + name));
  }

  @Override
  public Optional<PersistentVolumeClaim> claim(String namespace, String name) {
    return Optional.ofNullable(claims.get(namespace + "/" + name));
  }
}
