package dev.dbtplatform.api.db;

import static dev.dbtplatform.api.db.generated.Tables.ACCOUNTS;

import dev.dbtplatform.api.db.generated.tables.records.AccountsRecord;
import java.util.Optional;

public final class AccountRepository {
  private final Database db;

  public AccountRepository(Database db) {
    this.db = db;
  }

  /** An account whose resources live in the namespace {@code account-<id>}. */
  public Account create(String name) {
    return db.dsl().transactionResult(tx -> {
      AccountsRecord r = tx.dsl().insertInto(ACCOUNTS).set(ACCOUNTS.NAME, requireName(name)).returning().fetchOne();
      r.setNamespace("account-" + r.getId());
      r.update();
      return toAccount(r);
    });
  }

  /** An account whose resources live in the given namespace, which no other account may own. */
  public Account create(String name, String namespace) {
    if (namespace == null || namespace.isBlank()) {
      throw new IllegalArgumentException("an account needs a namespace");
    }
    AccountsRecord r = db.dsl()
        .insertInto(ACCOUNTS)
        .set(ACCOUNTS.NAME, requireName(name))
        .set(ACCOUNTS.NAMESPACE, namespace)
        .returning()
        .fetchOne();
    return toAccount(r);
  }

  /**
   * The account with this id. Every authenticated request asks, so an account read once is kept
   * in memory: its row never changes nor goes away (there is no update or delete of accounts).
   */
  public Optional<Account> find(long id) {
    Account known = db.accountsById().get(id);
    if (known != null) {
      return Optional.of(known);
    }
    Optional<Account> found = db.dsl().selectFrom(ACCOUNTS).where(ACCOUNTS.ID.eq(id)).fetchOptional()
        .map(AccountRepository::toAccount);
    found.ifPresent(a -> db.accountsById().put(a.id(), a));
    return found;
  }

  public Optional<Account> findByNamespace(String namespace) {
    return db.dsl().selectFrom(ACCOUNTS).where(ACCOUNTS.NAMESPACE.eq(namespace)).fetchOptional()
        .map(AccountRepository::toAccount);
  }


  private static String requireName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("an account needs a name");
    }
    return name;
  }

  private static Account toAccount(AccountsRecord r) {
    return new Account(r.getId(), r.getName(), r.getNamespace(), r.getCreatedAt());
  }
}
