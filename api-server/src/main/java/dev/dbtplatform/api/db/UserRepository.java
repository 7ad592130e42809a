package dev.dbtplatform.api.db;

import static dev.dbtplatform.api.db.generated.Tables.USERS;

import dev.dbtplatform.api.db.generated.tables.records.UsersRecord;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The users of accounts. Usernames follow the rules of a DbtDevelopSession's spec.user (its CRD
 * refuses anything else), so that every user can open a session; emails those of spec.userEmail.
 */
public final class UserRepository {
  /** As DbtDevelopSessionSpec.user: a letter or digit, then up to 127 of letters, digits and {@code . _ @ + -}. */
  public static final Pattern USERNAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$");
  /** As DbtDevelopSessionSpec.userEmail. */
  public static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+$");

  /** A user the account has already: the username (or email) is taken. */
  public static final class DuplicateUserException extends IllegalArgumentException {
    public DuplicateUserException(String message) {
      super(message);
    }
  }

  private final Database db;

  public UserRepository(Database db) {
    this.db = db;
  }

  /**
   * A new user of the account.
   *
   * @param email null for none
   * @throws IllegalArgumentException for a username or email the cluster would refuse, or an account that does not exist
   * @throws DuplicateUserException when the account has a user of that username or email already
   */
  public User create(long accountId, String username, String email) {
    checkUsername(username);
    String mail = email == null || email.isBlank() ? null : email.strip();
    if (mail != null && (mail.length() > 320 || !EMAIL.matcher(mail).matches())) {
      throw new IllegalArgumentException("'" + mail + "' is not an email address (name@domain)");
    }
    if (new AccountRepository(db).find(accountId).isEmpty()) {
      throw new IllegalArgumentException("no account " + accountId);
    }
    // conflicts answered as no row rather than an exception: the unique constraints are the check
    Optional<UsersRecord> inserted = db.dsl().insertInto(USERS)
        .set(USERS.ACCOUNT_ID, accountId)
        .set(USERS.USERNAME, username)
        .set(USERS.EMAIL, mail)
        .onConflictDoNothing()
        .returning()
        .fetchOptional();
    return inserted.map(UserRepository::toUser).orElseThrow(() -> find(accountId, username).isPresent()
        ? new DuplicateUserException("account " + accountId + " already has a user '" + username + "'")
        : new DuplicateUserException("account " + accountId + " already has a user with the email " + mail));
  }

  public Optional<User> find(long accountId, String username) {
    return db.dsl().selectFrom(USERS)
        .where(USERS.ACCOUNT_ID.eq(accountId), USERS.USERNAME.eq(username))
        .fetchOptional()
        .map(UserRepository::toUser);
  }

  public Optional<User> find(long id) {
    return db.dsl().selectFrom(USERS).where(USERS.ID.eq(id)).fetchOptional().map(UserRepository::toUser);
  }

  /** The account's users by id. */
  public List<User> list(long accountId) {
    return db.dsl().selectFrom(USERS).where(USERS.ACCOUNT_ID.eq(accountId)).orderBy(USERS.ID)
        .fetch(UserRepository::toUser);
  }

  private static void checkUsername(String username) {
    if (username == null || !USERNAME.matcher(username).matches()) {
      throw new IllegalArgumentException("'" + username + "' cannot be a username: use 1 to 128 letters, digits and "
          + "'.', '_', '@', '+', '-', starting with a letter or digit");
    }
  }

  private static User toUser(UsersRecord r) {
    return new User(r.getId(), r.getAccountId(), r.getUsername(), r.getEmail(), r.getCreatedAt());
  }
}
