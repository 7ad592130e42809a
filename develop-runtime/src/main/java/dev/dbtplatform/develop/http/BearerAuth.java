package dev.dbtplatform.develop.http;

import dev.dbtplatform.develop.DevelopException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The one token that may use this workspace, which the API server's proxy presents for the
 * session's owner. Compared in constant time, over digests so the length does not leak either.
 */
public final class BearerAuth {
  private final byte[] expectedDigest;

  private BearerAuth(byte[] expectedDigest) {
    this.expectedDigest = expectedDigest;
  }

  /**
   * @throws IllegalStateException when the file is missing or empty: without a token anyone who
   *     can reach the pod could use the workspace and the user's credentials
   */
  public static BearerAuth fromFile(Path file) {
    String token;
    try {
      token = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : null;
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read the develop token " + file + ": " + e.getMessage(), e);
    }
    if (token == null || token.isEmpty()) {
      throw new IllegalStateException("No develop token at " + file + " (the file `token` of the folder in "
          + "DBT_PLATFORM_DEVELOP_TOKEN_DIR). The develop runtime does not start without one, since anyone who "
          + "can reach the pod could otherwise use the workspace and the user's warehouse credentials.");
    }
    return new BearerAuth(digest(token));
  }

  /** @throws DevelopException 401 unless the header is {@code Bearer <the token>} */
  void check(String authorization) {
    String prefix = "bearer ";
    if (authorization == null || authorization.length() <= prefix.length()
        || !authorization.substring(0, prefix.length()).toLowerCase(Locale.ROOT).equals(prefix)) {
      throw new DevelopException(DevelopException.Kind.UNAUTHORIZED, "unauthorized",
          "Send the session's token as Authorization: Bearer <token>.", null);
    }
    byte[] given = digest(authorization.substring(prefix.length()).strip());
    if (!MessageDigest.isEqual(given, expectedDigest)) {
      throw new DevelopException(DevelopException.Kind.UNAUTHORIZED, "unauthorized",
          "The token is not this session's.", null);
    }
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
