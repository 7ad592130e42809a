package dev.dbtplatform.api.db;

import static dev.dbtplatform.api.db.generated.Tables.ACCOUNTS;

import dev.dbtplatform.api.db.generated.tables.records.AccountsRecord;
import java.util.Optional;

public final class AccountRepository {
  private final Database db;

  public AccountRepository(Database db) {
    this.db = db;
  }

  public Account create(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("an account needs a name");
    }
    AccountsRecord r = db.dsl()
        .insertInto(ACCOUNTS)
        .set(ACCOUNTS.NAME, name)
        .returning()
        .fetchOne();
    return toAccount(r);
  }

  public Optional<Account> find(long id) {
    return db.dsl().selectFrom(ACCOUNTS).where(ACCOUNTS.ID.eq(id)).fetchOptional().map(AccountRepository::toAccount);
  }

  private static Account toAccount(AccountsRecord r) {
    return new Account(r.getId(), r.getName(), r.getCreatedAt());
  }
}
