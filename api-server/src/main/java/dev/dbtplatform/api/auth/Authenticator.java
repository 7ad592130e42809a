package dev.dbtplatform.api.auth;

import dev.dbtplatform.api.db.TokenRepository;
import dev.dbtplatform.api.db.TokenRepository.StoredToken;
import dev.dbtplatform.api.db.UserRepository;
import dev.dbtplatform.api.http.ApiException;
import java.util.Locale;

/**
 * Resolves the {@code Authorization} header to a token, service or personal, and a personal
 * token to its user. Accepts {@code Token <t>} (dbt Cloud's documented scheme) and
 * {@code Bearer <t>} (what several clients send). The header's value is never logged nor echoed
 * back.
 */
public final class Authenticator {
  private final TokenRepository tokens;
  private final UserRepository users;

  public Authenticator(TokenRepository tokens, UserRepository users) {
    this.tokens = tokens;
    this.users = users;
  }

  public Caller authenticate(String authorizationHeader) {
    if (authorizationHeader == null || authorizationHeader.isBlank()) {
      throw ApiException.unauthorized(
          "Authentication credentials were not provided: send the header 'Authorization: Token <your API token>'.");
    }
    String header = authorizationHeader.strip();
    int space = header.indexOf(' ');
    String scheme = space < 0 ? header : header.substring(0, space);
    String token = space < 0 ? "" : header.substring(space + 1).strip();
    String s = scheme.toLowerCase(Locale.ROOT);
    if (!s.equals("token") && !s.equals("bearer")) {
      throw ApiException.unauthorized(
          "Unsupported authorization scheme: use 'Authorization: Token <your API token>' or 'Bearer <your API token>'.");
    }
    if (token.isEmpty() || token.length() > 512) {
      throw invalid();
    }
    StoredToken stored = tokens.authenticate(token).orElseThrow(Authenticator::invalid);
    if (!stored.personal()) {
      return new Caller(stored, null);
    }
    // the user deleted between the two statements: its tokens went with it
    return new Caller(stored, users.find(stored.userId()).orElseThrow(Authenticator::invalid));
  }

  private static ApiException invalid() {
    return ApiException.unauthorized("Invalid token: check the API token you sent, or create a new one.");
  }
}
