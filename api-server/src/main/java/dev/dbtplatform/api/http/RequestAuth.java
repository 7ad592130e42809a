package dev.dbtplatform.api.http;

import dev.dbtplatform.api.db.TokenRepository.StoredToken;
import io.javalin.http.Context;

/** The authenticated token of a request, put there by the server's before-handler. */
final class RequestAuth {
  static final String ATTRIBUTE = "dbtplatform.token";

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
}
