package dev.dbtplatform.api.auth;

import dev.dbtplatform.api.db.TokenRepository.StoredToken;
import dev.dbtplatform.api.db.User;

/**
 * Who a request comes from: the token it presented, and for a personal token the user it acts
 * for (null for a service token, which acts for the whole account and no one in it).
 */
public record Caller(StoredToken token, User user) {
  public long accountId() {
    return token.accountId();
  }

  public long tokenId() {
    return token.id();
  }

  public boolean personal() {
    return user != null;
  }
}
