package dev.dbtplatform.contract;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The names of the objects the operator makes, where others must find them by name: the API
 * server reaches a develop session's pod and token Secret before the session's status names them.
 */
public final class ObjectNames {
  private ObjectNames() {}

  /** Kubernetes label values and Job names (which become label values) are at most 63 characters. */
  public static final int LABEL_LIMIT = 63;
  /** Names of most objects (Secrets, volumes) are at most 253 characters. */
  public static final int NAME_LIMIT = 253;

  public static String developPod(String session) {
    return fit("develop-" + session, LABEL_LIMIT);
  }

  public static String developService(String session) {
    return fit("develop-" + session, LABEL_LIMIT);
  }

  public static String developTokenSecret(String session) {
    return fit("develop-" + session + "-token", NAME_LIMIT);
  }

  /** Shortens to the limit keeping a prefix and a hash of the whole, so distinct names stay distinct. */
  public static String fit(String name, int limit) {
    if (name.length() <= limit) {
      return name;
    }
    String hash = sha256(name).substring(0, 10);
    String prefix = name.substring(0, limit - hash.length() - 1).replaceAll("[-.]+$", "");
    return prefix + "-" + hash;
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
