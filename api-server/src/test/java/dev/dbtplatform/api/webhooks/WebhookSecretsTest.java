package dev.dbtplatform.api.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Signing secrets at rest: sealed with AES-GCM under DBT_PLATFORM_SECRET_KEY, readable back only
 * with that key, and the plain forms (no key set, or rows from before encryption) still readable.
 */
class WebhookSecretsTest {
  static final String SECRET = "4f1c2a9be0d35e7a6c8b1f0e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4";

  static byte[] key(int fill) {
    byte[] key = new byte[WebhookSecrets.KEY_BYTES];
    java.util.Arrays.fill(key, (byte) fill);
    return key;
  }

  @Test
  void sealsWithAFreshNonceEachTimeAndOpensBack() {
    WebhookSecrets secrets = WebhookSecrets.withKey(key(1));
    String sealed = secrets.seal(SECRET);
    assertThat(sealed).startsWith("v1:").doesNotContain(SECRET);
    assertThat(sealed.length()).isLessThanOrEqualTo(512); // the column's width
    assertThat(secrets.open(sealed)).isEqualTo(SECRET);
    String again = secrets.seal(SECRET);
    assertThat(again).isNotEqualTo(sealed);
    assertThat(secrets.open(again)).isEqualTo(SECRET);
    assertThat(WebhookSecrets.isSealed(sealed)).isTrue();
    assertThat(secrets.encrypts()).isTrue();
    assertThat(secrets.toString()).doesNotContain(Base64.getEncoder().encodeToString(key(1)));
  }

  @Test
  void aSecretSealedWithOneKeyIsNotReadableWithAnotherNorWithoutAKey() {
    String sealed = WebhookSecrets.withKey(key(1)).seal(SECRET);
    assertThatThrownBy(() -> WebhookSecrets.withKey(key(2)).open(sealed))
        .isInstanceOf(WebhookSecrets.UnreadableSecretException.class)
        .hasMessageContaining("another DBT_PLATFORM_SECRET_KEY")
        .hasMessageNotContaining(SECRET);
    assertThatThrownBy(() -> WebhookSecrets.unencrypted().open(sealed))
        .isInstanceOf(WebhookSecrets.UnreadableSecretException.class)
        .hasMessageContaining("has no DBT_PLATFORM_SECRET_KEY");
    // changed bytes are refused like a wrong key: GCM authenticates the ciphertext
    byte[] bytes = Base64.getDecoder().decode(sealed.substring(3));
    bytes[bytes.length - 1] ^= 1;
    String tampered = "v1:" + Base64.getEncoder().encodeToString(bytes);
    assertThatThrownBy(() -> WebhookSecrets.withKey(key(1)).open(tampered))
        .isInstanceOf(WebhookSecrets.UnreadableSecretException.class);
    assertThatThrownBy(() -> WebhookSecrets.withKey(key(1)).open("v1:not base64!"))
        .isInstanceOf(WebhookSecrets.UnreadableSecretException.class).hasMessageContaining("damaged");
    assertThatThrownBy(() -> WebhookSecrets.withKey(key(1)).open("v1:AAAA"))
        .isInstanceOf(WebhookSecrets.UnreadableSecretException.class).hasMessageContaining("damaged");
  }

  @Test
  void withoutAKeySecretsAreStoredMarkedPlainAndOldRowsStayReadable() {
    WebhookSecrets none = WebhookSecrets.unencrypted();
    assertThat(none.encrypts()).isFalse();
    assertThat(none.seal(SECRET)).isEqualTo("plain:" + SECRET);
    assertThat(none.open("plain:" + SECRET)).isEqualTo(SECRET);
    assertThat(none.open(SECRET)).isEqualTo(SECRET); // written before secrets were encrypted
    WebhookSecrets keyed = WebhookSecrets.withKey(key(3));
    assertThat(keyed.open("plain:" + SECRET)).isEqualTo(SECRET);
    assertThat(keyed.open(SECRET)).isEqualTo(SECRET);
    assertThat(WebhookSecrets.isSealed("plain:" + SECRET)).isFalse();
  }

  @Test
  void theKeyComesFromTheEnvironmentAsBase64Of32Bytes() {
    assertThat(WebhookSecrets.fromEnv(Map.of()).encrypts()).isFalse();
    assertThat(WebhookSecrets.fromEnv(Map.of(WebhookSecrets.KEY_VARIABLE, " ")).encrypts()).isFalse();
    String key = Base64.getEncoder().encodeToString(key(4)); // as openssl rand -base64 32 prints it
    WebhookSecrets fromEnv = WebhookSecrets.fromEnv(Map.of(WebhookSecrets.KEY_VARIABLE, key + "\n"));
    assertThat(fromEnv.encrypts()).isTrue();
    assertThat(WebhookSecrets.withKey(key(4)).open(fromEnv.seal(SECRET))).isEqualTo(SECRET);

    assertThatThrownBy(() -> WebhookSecrets.fromEnv(Map.of(WebhookSecrets.KEY_VARIABLE, "correct horse battery")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DBT_PLATFORM_SECRET_KEY is not base64")
        .hasMessageContaining("openssl rand -base64 32")
        .hasMessageNotContaining("horse");
    String sixteen = Base64.getEncoder().encodeToString(new byte[16]);
    assertThatThrownBy(() -> WebhookSecrets.fromEnv(Map.of(WebhookSecrets.KEY_VARIABLE, sixteen)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DBT_PLATFORM_SECRET_KEY must be 32 bytes")
        .hasMessageContaining("decodes to 16 bytes");
  }
}
