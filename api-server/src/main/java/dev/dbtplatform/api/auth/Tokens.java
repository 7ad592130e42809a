package dev.dbtplatform.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Token values: a prefix followed by 40 random URL-safe characters (240 bits). Service tokens,
 * which act for an account, start with {@code dbtp_}; personal tokens, which act for one user of
 * the account, with {@code dbtu_} (dbt Cloud's prefix for personal tokens), so that a person
 * can tell them apart. Only their SHA-256 is stored; a plain token exists only in the creator's
 * hands.
 */
public final class Tokens {
  public static final String PREFIX = "dbtp_";
  public static final String PERSONAL_PREFIX = "dbtu_";
  /** How much of a plain token is kept for people to recognise it (the prefix and 7 characters). */
  public static final int DISPLAY_LENGTH = PREFIX.length() + 7;

  private static final SecureRandom RANDOM = new SecureRandom();

  private Tokens() {}

  /** A service token. */
  public static String newToken() {
    return PREFIX + randomPart();
  }

  public static String newPersonalToken() {
    return PERSONAL_PREFIX + randomPart();
  }

  private static String randomPart() {
    byte[] bytes = new byte[30]; // 30 bytes -> exactly 40 base64url characters, no padding
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Lower-case hex SHA-256 of the token's UTF-8 bytes (64 characters). */
  public static String hash(String token) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  public static String displayPrefix(String token) {
    return token.substring(0, Math.min(DISPLAY_LENGTH, token.length()));
  }
}
