package dev.dbtplatform.api.develop;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The names the operator gives what a develop session owns (operator's DevelopResources), for
 * sessions whose status does not name them yet. The API server does not depend on the operator,
 * so the rule is repeated here: the status, when it names them, wins.
 */
public final class DevelopNames {
  private static final int LABEL_LIMIT = 63;

  private DevelopNames() {}

  public static String podName(String session) {
    return fit("develop-" + session, LABEL_LIMIT);
  }

  public static String tokenSecretName(String session) {
    return fit("develop-" + session + "-token", 253);
  }

  /** As the operator's ResourceNames.fit: a prefix and a hash of the whole when too long. */
  static String fit(String name, int limit) {
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
