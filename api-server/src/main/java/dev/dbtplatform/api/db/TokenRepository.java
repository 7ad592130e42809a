package dev.dbtplatform.api.db;

import static dev.dbtplatform.api.db.generated.Tables.SERVICE_TOKENS;

import dev.dbtplatform.api.auth.Tokens;
import dev.dbtplatform.api.db.generated.tables.records.ServiceTokensRecord;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.jooq.impl.DSL;

/**
 * API tokens, stored only as SHA-256 hashes: service tokens, which act for their account, and
 * personal tokens, which act for one user of it (the rows with a user_id).
 */
public final class TokenRepository {
  /**
   * A token as stored: never the plain value.
   *
   * @param userId the user a personal token acts for; null for a service token
   */
  public record StoredToken(long id, long accountId, String name, String prefix,
                            OffsetDateTime createdAt, OffsetDateTime lastUsedAt, Long userId) {
    public boolean personal() {
      return userId != null;
    }
  }

  /** What creating a token returns: the plain value, the only time anyone sees it. */
  public record CreatedToken(StoredToken token, String plainToken) {
    @Override
    public String toString() { // keep the secret out of logs and assertion messages
      return "CreatedToken[" + token + "]";
    }
  }

  private final Database db;

  public TokenRepository(Database db) {
    this.db = db;
  }

  /** A service token ({@code dbtp_...}): it acts for the account. */
  public CreatedToken create(long accountId, String name) {
    return insert(accountId, null, name, Tokens.newToken());
  }

  /**
   * A personal token ({@code dbtu_...}) of a user: it acts for the user in the user's account,
   * and is what develop sessions require. Deleting the user deletes its tokens.
   */
  public CreatedToken createPersonal(User user, String name) {
    return insert(user.accountId(), user.id(), name, Tokens.newPersonalToken());
  }

  private CreatedToken insert(long accountId, Long userId, String name, String plain) {
    ServiceTokensRecord r = db.dsl()
        .insertInto(SERVICE_TOKENS)
        .set(SERVICE_TOKENS.ACCOUNT_ID, accountId)
        .set(SERVICE_TOKENS.USER_ID, userId)
        .set(SERVICE_TOKENS.NAME, name)
        .set(SERVICE_TOKENS.TOKEN_HASH, Tokens.hash(plain))
        .set(SERVICE_TOKENS.TOKEN_PREFIX, Tokens.displayPrefix(plain))
        .returning()
        .fetchOne();
    return new CreatedToken(toStored(r), plain);
  }

  public Optional<StoredToken> findByHash(String tokenHash) {
    return db.dsl().selectFrom(SERVICE_TOKENS)
        .where(SERVICE_TOKENS.TOKEN_HASH.eq(tokenHash))
        .fetchOptional()
        .map(TokenRepository::toStored);
  }


  /**
   * Last use is recorded to the minute. Writing it on every request would turn every read of the
   * API into a commit, which on a database that syncs its log costs more than the read itself.
   */
  static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);

  /** The token a request presents, if it exists, with its last use recorded (to the minute). */
  public Optional<StoredToken> authenticate(String plainToken) {
    return authenticateHash(Tokens.hash(plainToken));
  }

  /** Like {@link #authenticate}, for a token already hashed. */
  public Optional<StoredToken> authenticateHash(String tokenHash) {
    return findByHash(tokenHash).map(token -> token.lastUsedAt() != null
        && token.lastUsedAt().isAfter(OffsetDateTime.now().minus(LAST_USED_PRECISION)) ? token : touch(token));
  }

  private StoredToken touch(StoredToken token) {
    return db.dsl().update(SERVICE_TOKENS)
        .set(SERVICE_TOKENS.LAST_USED_AT, DSL.currentOffsetDateTime())
        .where(SERVICE_TOKENS.ID.eq(token.id()))
        .returning()
        .fetchOptional()
        .map(TokenRepository::toStored)
        .orElse(token); // deleted meanwhile: it was valid when read
  }

  private static StoredToken toStored(ServiceTokensRecord r) {
    return new StoredToken(r.getId(), r.getAccountId(), r.getName(), r.getTokenPrefix(),
        r.getCreatedAt(), r.getLastUsedAt(), r.getUserId());
  }
}
