package dev.dbtplatform.api.http;

import dev.dbtplatform.api.db.Account;
import dev.dbtplatform.api.db.TokenRepository.StoredToken;
import io.javalin.http.Context;

/** The authenticated token of a request, put there by the server's before-handler. */
final class RequestAuth {
  static final String ATTRIBUTE = "dbtplatform.token";
  private static final String ACCOUNT = "dbtplatform.account";

  private RequestAuth() {}

  static StoredToken token(Context ctx) {
    StoredToken t = ctx.attribute(ATTRIBUTE);
    if (t == null) {
      throw new IllegalStateException("route served without authentication");
    }
    return t;
  }

  static long accountId(Context ctx) {
    return token(ctx).accountId();
  }

  /**
   * The account named by the path's {@code account_id}, which must be the token's own: another
   * account's id answers exactly like one that does not exist.
   */
  static Account account(Context ctx, ApiServices services) {
    long id = PathIds.parse(ctx, "account_id", "account");
    Account cached = ctx.attribute(ACCOUNT);
    if (cached != null && cached.id() == id) {
      return cached;
    }
    Account account = (id == accountId(ctx) ? services.accounts().find(id) : java.util.Optional.<Account>empty())
        .orElseThrow(() -> ApiException.notFound("Account " + id + " was not found."));
    if (account.namespace() == null) {
      throw new ApiException(409, "Account " + id + " has no Kubernetes namespace for its resources yet; "
          + "an administrator has to give it one.");
    }
    ctx.attribute(ACCOUNT, account);
    return account;
  }
}
