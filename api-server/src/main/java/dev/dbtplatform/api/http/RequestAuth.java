package dev.dbtplatform.api.http;

import dev.dbtplatform.api.auth.Caller;
import dev.dbtplatform.api.auth.Tokens;
import dev.dbtplatform.api.db.Account;
import dev.dbtplatform.api.db.TokenRepository.StoredToken;
import dev.dbtplatform.api.db.User;
import io.javalin.http.Context;

/** Who made a request (its token, and a personal token's user), put there by the server's before-handler. */
final class RequestAuth {
  static final String ATTRIBUTE = "dbtplatform.caller";
  private static final String ACCOUNT = "dbtplatform.account";

  private RequestAuth() {}

  static Caller caller(Context ctx) {
    Caller c = ctx.attribute(ATTRIBUTE);
    if (c == null) {
      throw new IllegalStateException("route served without authentication");
    }
    return c;
  }

  static StoredToken token(Context ctx) {
    return caller(ctx).token();
  }

  /** The user a personal token acts for; null for a service token. */
  static User user(Context ctx) {
    return caller(ctx).user();
  }

  /**
   * The user of a personal token, for what belongs to a person (develop sessions): a service
   * token acts for no one, so it is refused with 403 and told what to use instead.
   */
  static User personalUser(Context ctx, String what) {
    User user = user(ctx);
    if (user == null) {
      throw new ApiException(403, what + " belong to a user, and this is a service token (" + Tokens.PREFIX
          + "...), which acts for the account and no one in it. Use a personal token (" + Tokens.PERSONAL_PREFIX
          + "...): an administrator makes one with 'ApiMain create-token <account-id> <name> --user <username>'.");
    }
    return user;
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
