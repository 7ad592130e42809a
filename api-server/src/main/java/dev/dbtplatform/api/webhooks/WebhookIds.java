package dev.dbtplatform.api.webhooks;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Random identifiers in dbt Cloud's style ("wsu_" subscriptions, "wev_" events) and signing
 * secrets. Random rather than counted, so that ids say nothing about other accounts.
 */
final class WebhookIds {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private WebhookIds() {}

  static String subscriptionId() {
    return "wsu_" + randomText(20);
  }

  static String eventId() {
    return "wev_" + randomText(27);
  }

  /** 256 random bits as 64 hex characters: the HMAC key is these characters' UTF-8 bytes. */
  static String secret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static String randomText(int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return s.toString();
  }
}
