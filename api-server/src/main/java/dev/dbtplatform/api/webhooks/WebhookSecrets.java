package dev.dbtplatform.api.webhooks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keeps the subscriptions' signing secrets encrypted at rest. The secret must be stored in a form
 * the API can turn back into the secret (it signs every delivery with it), so a hash will not do:
 * it is sealed with AES-256-GCM under the key in {@value #KEY_VARIABLE}, which lives outside the
 * database, so a copy of the database (a backup, a replica, a dump) does not give the secrets away.
 *
 * <p>Every stored value says how it is stored, so that the forms live side by side and a key can
 * be set after subscriptions exist: {@code v1:} and the base64 of nonce, ciphertext and tag when
 * sealed; {@code plain:} and the secret when no key was set; the bare secret in rows written
 * before secrets were encrypted (a hex secret holds no colon). Without a key secrets are stored
 * plain and the API server warns at start; once a key is set, the server seals the plain rows.
 */
public final class WebhookSecrets {
  public static final String KEY_VARIABLE = "DBT_PLATFORM_SECRET_KEY";
  static final String SEALED = "v1:";
  static final String PLAIN = "plain:";
  static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** null: no key, secrets are stored plain */
  private final SecretKey key;

  private WebhookSecrets(SecretKey key) {
    this.key = key;
  }

  /** Stores secrets as they are, marked plain: for a server started without a key, and tests. */
  public static WebhookSecrets unencrypted() {
    return new WebhookSecrets(null);
  }

  /** Seals secrets with this AES-256 key. */
  public static WebhookSecrets withKey(byte[] key) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException(KEY_VARIABLE + " must be " + KEY_BYTES + " bytes, base64-encoded "
          + "(make one with: openssl rand -base64 32); it decodes to " + key.length + " bytes");
    }
    return new WebhookSecrets(new SecretKeySpec(key, "AES"));
  }

  /**
   * The key in {@value #KEY_VARIABLE}, base64 of 32 bytes; unencrypted when it is not set.
   *
   * @throws IllegalArgumentException naming the variable, when it is set but is not such a key
   */
  public static WebhookSecrets fromEnv(Map<String, String> env) {
    String value = env.get(KEY_VARIABLE);
    if (value == null || value.isBlank()) {
      return unencrypted();
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(value.strip());
    } catch (IllegalArgumentException e) {
      // the value itself stays out of the message: it is (meant to be) a secret
      throw new IllegalArgumentException(KEY_VARIABLE + " is not base64; set it to the base64 of " + KEY_BYTES
          + " random bytes (make one with: openssl rand -base64 32)");
    }
    return withKey(key);
  }

  /** Whether new secrets are sealed: false when the server has no key. */
  public boolean encrypts() {
    return key != null;
  }

  /** The form a secret is stored in: sealed with the key, or marked plain without one. */
  String seal(String secret) {
    if (key == null) {
      return PLAIN + secret;
    }
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      return SEALED + Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
          .put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every JDK", e);
    }
  }

  /**
   * The secret a stored value holds, whichever form it is in.
   *
   * @throws UnreadableSecretException when it is sealed and this server has no key, or another one
   */
  String open(String stored) {
    if (stored.startsWith(PLAIN)) {
      return stored.substring(PLAIN.length());
    }
    if (!stored.startsWith(SEALED)) {
      return stored; // written before secrets were encrypted
    }
    if (key == null) {
      throw new UnreadableSecretException("the subscription's signing secret is encrypted and this API server has no "
          + KEY_VARIABLE + ": start it with the key the secret was encrypted with");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(stored.substring(SEALED.length()));
    } catch (IllegalArgumentException e) {
      throw damaged();
    }
    if (bytes.length <= NONCE_BYTES) {
      throw damaged();
    }
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
      return new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      // GCM cannot tell a wrong key from changed bytes; a wrong key is by far the likelier
      throw new UnreadableSecretException("the subscription's signing secret was encrypted with another "
          + KEY_VARIABLE + " than this API server's (or was changed in the database): start the server with the key "
          + "it was encrypted with, or make a new subscription");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every JDK", e);
    }
  }

  /** Whether a stored value is sealed already, rather than plain. */
  static boolean isSealed(String stored) {
    return stored.startsWith(SEALED);
  }

  private static UnreadableSecretException damaged() {
    return new UnreadableSecretException("the subscription's stored signing secret is damaged (not the "
        + SEALED + " form this server writes): make a new subscription");
  }

  @Override
  public String toString() { // never the key
    return key == null ? "WebhookSecrets[unencrypted]" : "WebhookSecrets[AES-256-GCM]";
  }

  /** A stored secret this server cannot turn back into the secret; the message says what to do. */
  static final class UnreadableSecretException extends RuntimeException {
    UnreadableSecretException(String message) {
      super(message);
    }
  }
}
