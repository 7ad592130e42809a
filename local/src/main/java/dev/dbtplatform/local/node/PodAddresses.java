package dev.dbtplatform.local.node;

import io.fabric8.kubernetes.api.model.Pod;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * Each pod's IP on this machine. Servers in pods (a develop runtime on port 8080, say) must not
 * collide, so on Linux, where all of 127.0.0.0/8 reaches the loopback interface, every pod gets
 * an address of its own there, derived from its UID: what a caller reads from status.podIP
 * reaches that pod alone, as in a cluster. Elsewhere (macOS has only 127.0.0.1 unless aliases are
 * added) every pod has 127.0.0.1, and two pods serving the same port cannot run at once.
 */
final class PodAddresses {
  private PodAddresses() {}

  static final boolean DISTINCT = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");

  static String of(Pod pod) {
    String uid = pod.getMetadata().getUid();
    if (!DISTINCT || uid == null || uid.isEmpty()) {
      return EnvResolver.LOCALHOST;
    }
    byte[] hash = sha256(uid);
    // 127.1.0.1 to 127.254.255.254: never 127.0.0.x (the host's own services), nor .0 or .255
    int second = 1 + Byte.toUnsignedInt(hash[0]) % 254;
    int third = Byte.toUnsignedInt(hash[1]);
    int fourth = 1 + Byte.toUnsignedInt(hash[2]) % 254;
    return "127." + second + "." + third + "." + fourth;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
