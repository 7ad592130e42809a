package dev.dbtplatform.api.http;

import dev.dbtplatform.api.auth.Caller;
import dev.dbtplatform.api.db.AuditLog;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an audit entry for every authenticated request that may change something (anything but
 * GET and HEAD), refused ones included. Handlers name the object they touched with
 * {@link #object}. The path is recorded without its query string, which may hold secrets.
 */
final class Audit {
  private static final Logger LOG = LoggerFactory.getLogger(Audit.class);
  private static final String KIND = "dbtplatform.audit.kind";
  private static final String ID = "dbtplatform.audit.id";

  private Audit() {}

  static void object(Context ctx, String kind, long id) {
    ctx.attribute(KIND, kind);
    ctx.attribute(ID, id);
  }

  static void record(Context ctx, ApiServices services) {
    if (ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD || ctx.method() == HandlerType.OPTIONS) {
      return;
    }
    Caller caller = ctx.attribute(RequestAuth.ATTRIBUTE);
    if (caller == null) {
      return; // unauthenticated requests change nothing
    }
    try {
      services.audit().append(new AuditLog.Entry(caller.accountId(), caller.tokenId(), ctx.method().name(), ctx.path(),
          ctx.statusCode(), ctx.attribute(KIND), ctx.attribute(ID), null));
    } catch (RuntimeException e) {
      LOG.error("cannot write the audit entry for {} {}", ctx.method(), ctx.path(), e);
    }
  }
}
