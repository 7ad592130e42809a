package dev.dbtplatform.api.tls;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Passwords for key stores that only this process opens: 256 random bits, Base64url (keytool
 * wants at least six characters and takes these from an environment variable unchanged).
 */
final class RandomPassword {
  private static final SecureRandom RANDOM = new SecureRandom();

  private RandomPassword() {}

  static char[] create() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
  }
}
