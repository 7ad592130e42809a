package dev.dbtplatform.api.auth;

import dev.dbtplatform.api.db.TokenRepository;
import dev.dbtplatform.api.db.TokenRepository.StoredToken;
import dev.dbtplatform.api.db.UserRepository;
import dev.dbtplatform.api.http.ApiException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Resolves the {@code Authorization} header to a token, service or personal, and a personal
 * token to its user. Accepts {@code Token <t>} (dbt Cloud's documented scheme) and
 * {@code Bearer <t>} (what several clients send). The header's value is never logged nor echoed
 * back. Who a token is stays known for a few seconds ({@link CallerCache}).
 */
public final class Authenticator {
  private final TokenRepository tokens;
  private final UserRepository users;
  private final CallerCache known;

  public Authenticator(TokenRepository tokens, UserRepository users) {
    this(tokens, users, System::nanoTime);
  }

  /** @param nanoTime what {@link CallerCache} measures its few seconds with */
  public Authenticator(TokenRepository tokens, UserRepository users, LongSupplier nanoTime) {
    this.tokens = tokens;
    this.users = users;
    this.known = new CallerCache(nanoTime);
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
    String hash = Tokens.hash(token);
    Optional<Caller> cached = known.get(hash);
    if (cached.isPresent()) {
      return cached.get();
    }
    Caller caller = lookUp(hash);
    known.put(hash, caller);
    return caller;
  }

  private Caller lookUp(String tokenHash) {
    StoredToken stored = tokens.authenticateHash(tokenHash).orElseThrow(Authenticator::invalid);
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
