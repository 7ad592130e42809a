package dev.dbtplatform.api.db;

import static dev.dbtplatform.api.db.generated.Tables.AUDIT_LOG;

import java.time.OffsetDateTime;
import java.util.List;

/** Every API request that writes: which account and token, the method and path, and the outcome. */
public final class AuditLog {
  public record Entry(long accountId, Long tokenId, String method, String path, int statusCode,
                      String objectKind, Long objectId, OffsetDateTime at) {}

  private final Database db;

  public AuditLog(Database db) {
    this.db = db;
  }

  public void append(Entry e) {
    db.dsl().insertInto(AUDIT_LOG)
        .set(AUDIT_LOG.ACCOUNT_ID, e.accountId())
        .set(AUDIT_LOG.TOKEN_ID, e.tokenId())
        .set(AUDIT_LOG.METHOD, e.method())
        .set(AUDIT_LOG.PATH, e.path().length() > 1024 ? e.path().substring(0, 1024) : e.path())
        .set(AUDIT_LOG.STATUS_CODE, e.statusCode())
        .set(AUDIT_LOG.OBJECT_KIND, e.objectKind())
        .set(AUDIT_LOG.OBJECT_ID, e.objectId())
        .execute();
  }

  /** The newest entries of an account, newest first. */
  public List<Entry> recent(long accountId, int limit) {
    return db.dsl().selectFrom(AUDIT_LOG).where(AUDIT_LOG.ACCOUNT_ID.eq(accountId))
        .orderBy(AUDIT_LOG.ID.desc()).limit(limit)
        .fetch(r -> new Entry(r.getAccountId(), r.getTokenId(), r.getMethod(), r.getPath(), r.getStatusCode(),
            r.getObjectKind(), r.getObjectId(), r.getAt()));
  }
}
