package dev.dbtplatform.api.webhooks;

/** Opens and seals stored webhook secrets for tests outside this package. */
public final class TestSecrets {
  private TestSecrets() {}

  public static String open(WebhookSecrets secrets, String stored) {
    return secrets.open(stored);
  }

  public static String seal(WebhookSecrets secrets, String secret) {
    return secrets.seal(secret);
  }
}
