package dev.dbtplatform.local.node;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/** The key-value content of Secrets and ConfigMaps, decoded. */
final class ObjectData {
  private ObjectData() {}

  /**
   * A Secret's data (base64-decoded) and stringData. A real API server folds stringData into data on
   * write; the mock stores both as given, so both are read here, stringData winning.
   */
  static Map<String, byte[]> of(Secret secret) {
    Map<String, byte[]> out = new TreeMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> out.put(k, v == null ? new byte[0] : Base64.getMimeDecoder().decode(v)));
    }
    if (secret.getStringData() != null) {
      secret.getStringData().forEach((k, v) -> out.put(k, v == null ? new byte[0] : v.getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  /** A ConfigMap's data (UTF-8) and binaryData (base64-decoded). */
  static Map<String, byte[]> of(ConfigMap configMap) {
    Map<String, byte[]> out = new TreeMap<>();
    if (configMap.getData() != null) {
      configMap.getData().forEach((k, v) -> out.put(k, v == null ? new byte[0] : v.getBytes(StandardCharsets.UTF_8)));
    }
    if (configMap.getBinaryData() != null) {
      configMap.getBinaryData().forEach((k, v) -> out.put(k, v == null ? new byte[0] : Base64.getMimeDecoder().decode(v)));
    }
    return out;
  }

  static String text(byte[] value) {
    return new String(value, StandardCharsets.UTF_8);
  }
}
