package dev.dbtplatform.api.auth;

import dev.dbtplatform.api.db.TokenRepository;
import dev.dbtplatform.api.db.TokenRepository.StoredToken;
import dev.dbtplatform.api.http.ApiException;
import java.util.Locale;

/**
 * Resolves the {@code Authorization} header to a service token. Accepts {@code Token <t>}
 * (dbt Cloud's documented scheme) and {@code Bearer <t>} (what several clients send). The
 * header's value is never logged nor echoed back.
 */
public final class Authenticator {
  private final TokenRepository tokens;

  public Authenticator(TokenRepository tokens) {
    this.tokens = tokens;
  }

  public StoredToken authenticate(String authorizationHeader) {
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
    return tokens.authenticate(token).orElseThrow(Authenticator::invalid);
  }

  private static ApiException invalid() {
    return ApiException.unauthorized("Invalid token: check the API token you sent, or create a new one.");
  }
}
