package dev.dbtplatform.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbtplatform.api.auth.Authenticator;
import dev.dbtplatform.api.auth.Caller;
import dev.dbtplatform.api.auth.Tokens;
import dev.dbtplatform.api.db.Account;
import dev.dbtplatform.api.db.AccountRepository;
import dev.dbtplatform.api.db.Database;
import dev.dbtplatform.api.db.TokenRepository;
import dev.dbtplatform.api.db.User;
import dev.dbtplatform.api.db.UserRepository;
import dev.dbtplatform.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DatabaseTest {
  private static EmbeddedPostgres postgres;
  private static Database db;

  @BeforeAll
  static void start() {
    postgres = EmbeddedPostgres.start();
    postgres.createDatabase("api", "api", "api-password");
    db = Database.open(postgres.jdbcUrl("api"), "api", "api-password");
  }

  @AfterAll
  static void stop() {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void migrationsApplyAndAreRecorded() throws SQLException {
    assertThat(query("select version, success from flyway_schema_history where version is not null order by installed_rank"))
        .containsExactly("1|t", "2|t", "3|t", "4|t", "5|t", "6|t", "7|t");
    assertThat(query("select table_name from information_schema.tables where table_schema = 'public' "
        + "and table_name <> 'flyway_schema_history' order by table_name"))
        .containsExactly("accounts", "audit_log", "object_ids", "run_status_changes", "runs", "service_tokens", "users",
            "webhook_deliveries", "webhook_delivery_attempts", "webhook_subscriptions");
    assertThat(query("select constraint_name from information_schema.table_constraints "
        + "where table_name = 'service_tokens' and constraint_type = 'UNIQUE'"))
        .containsExactly("service_tokens_token_hash_uq");
    // V5: test deliveries belong to no run; sealed signing secrets are longer than the secret
    assertThat(query("select is_nullable from information_schema.columns "
        + "where table_name = 'webhook_deliveries' and column_name = 'run_id'")).containsExactly("YES");
    assertThat(query("select character_maximum_length from information_schema.columns "
        + "where table_name = 'webhook_subscriptions' and column_name = 'hmac_secret'")).containsExactly("512");
    // V6: users by username, unique per account; the email optional
    assertThat(query("select column_name, is_nullable from information_schema.columns "
        + "where table_name = 'users' and column_name in ('username', 'email') order by column_name"))
        .containsExactly("email|YES", "username|NO");
    assertThat(query("select constraint_name from information_schema.table_constraints "
        + "where table_name = 'users' and constraint_type = 'UNIQUE' order by constraint_name"))
        .containsExactly("users_email_uq", "users_username_uq");
    // V7: a job's runs of one status, for the filtered list and its count
    assertThat(query("select indexdef from pg_indexes where indexname = 'runs_job_status_idx'"))
        .singleElement().asString().contains("(account_id, job_id, status, id)");
  }

  @Test
  void openingAgainMigratesNothing() throws SQLException {
    Database.open(postgres.jdbcUrl("api"), "api", "api-password");
    assertThat(query("select count(*) from flyway_schema_history where version is not null")).containsExactly("7");
  }

  @Test
  void tokenIsStoredOnlyAsItsHash() throws SQLException {
    Account account = new AccountRepository(db).create("hash-check");
    TokenRepository tokens = new TokenRepository(db);
    var created = tokens.create(account.id(), "ci");
    String plain = created.plainToken();

    assertThat(plain).matches("dbtp_[A-Za-z0-9_-]{40}");
    assertThat(created.toString()).doesNotContain(plain);

    // No column of any row of the table holds the plain token or its secret part.
    List<String> rows = query("select service_tokens::text from service_tokens");
    assertThat(rows).isNotEmpty();
    assertThat(rows).noneMatch(r -> r.contains(plain) || r.contains(plain.substring(Tokens.DISPLAY_LENGTH)));
    assertThat(query("select token_hash, token_prefix from service_tokens where id = " + created.token().id()))
        .containsExactly(Tokens.hash(plain) + "|" + plain.substring(0, Tokens.DISPLAY_LENGTH));
    assertThat(Tokens.hash(plain)).hasSize(64).isLowerCase();
  }

  @Test
  void authenticateFindsByHashAndTouchesLastUsed() {
    Account account = new AccountRepository(db).create("touch-check");
    TokenRepository tokens = new TokenRepository(db);
    var created = tokens.create(account.id(), "ci");
    assertThat(created.token().lastUsedAt()).isNull();

    var found = tokens.authenticate(created.plainToken());
    assertThat(found).get().satisfies(t -> {
      assertThat(t.accountId()).isEqualTo(account.id());
      assertThat(t.lastUsedAt()).isNotNull();
    });
    assertThat(tokens.findByHash(Tokens.hash(created.plainToken()))).get()
        .extracting(TokenRepository.StoredToken::lastUsedAt).isNotNull();
    // recorded to the minute: a request soon after writes nothing
    assertThat(tokens.authenticate(created.plainToken())).get()
        .extracting(TokenRepository.StoredToken::lastUsedAt).isEqualTo(found.get().lastUsedAt());
    assertThat(tokens.authenticate(created.plainToken() + "x")).isEmpty();
  }

  @Test
  void personalTokensActForTheirUserAndAreStoredOnlyAsTheirHash() throws SQLException {
    Account account = new AccountRepository(db).create("personal-check");
    User alice = new UserRepository(db).create(account.id(), "alice", "alice@example.com");
    TokenRepository tokens = new TokenRepository(db);
    var created = tokens.createPersonal(alice, "laptop");
    String plain = created.plainToken();

    assertThat(plain).matches("dbtu_[A-Za-z0-9_-]{40}");
    assertThat(created.token().personal()).isTrue();
    assertThat(created.token().userId()).isEqualTo(alice.id());
    assertThat(created.toString()).doesNotContain(plain);
    assertThat(query("select service_tokens::text from service_tokens where id = " + created.token().id()))
        .noneMatch(r -> r.contains(plain) || r.contains(plain.substring(Tokens.DISPLAY_LENGTH)));
    assertThat(query("select token_prefix from service_tokens where id = " + created.token().id()))
        .containsExactly(plain.substring(0, Tokens.DISPLAY_LENGTH));

    Authenticator auth = new Authenticator(tokens, new UserRepository(db));
    Caller caller = auth.authenticate("Bearer " + plain);
    assertThat(caller.personal()).isTrue();
    assertThat(caller.user().username()).isEqualTo("alice");
    assertThat(caller.user().email()).isEqualTo("alice@example.com");
    assertThat(caller.accountId()).isEqualTo(account.id());
    // service tokens keep working as they were, and act for no one
    Caller service = auth.authenticate("Token " + tokens.create(account.id(), "ci").plainToken());
    assertThat(service.personal()).isFalse();
    assertThat(service.user()).isNull();
    assertThat(service.token().prefix()).startsWith("dbtp_");
  }

  @Test
  void whoATokenIsStaysKnownForTenSecondsThenTheDatabaseIsAskedAgain() throws SQLException {
    Account account = new AccountRepository(db).create("poller");
    TokenRepository tokens = new TokenRepository(db);
    long[] nanoTime = {0};
    Authenticator auth = new Authenticator(tokens, new UserRepository(db), () -> nanoTime[0]);
    var created = tokens.create(account.id(), "poller");
    String header = "Token " + created.plainToken();
    assertThat(auth.authenticate(header).tokenId()).isEqualTo(created.token().id());

    execute("delete from service_tokens where id = " + created.token().id());
    nanoTime[0] += Duration.ofSeconds(9).toNanos();
    assertThat(auth.authenticate(header).tokenId()).as("known without asking the database").isEqualTo(created.token().id());
    nanoTime[0] += Duration.ofSeconds(1).toNanos();
    assertThatThrownBy(() -> auth.authenticate(header)).hasMessageContaining("Invalid token");
    assertThatThrownBy(() -> auth.authenticate("Token " + Tokens.newToken())).hasMessageContaining("Invalid token");
  }

  @Test
  void usernamesAreUniquePerAccountAndDeletingAUserDeletesItsTokens() throws SQLException {
    AccountRepository accounts = new AccountRepository(db);
    UserRepository users = new UserRepository(db);
    Account one = accounts.create("users-one");
    Account two = accounts.create("users-two");
    User bob = users.create(one.id(), "bob", null);
    assertThat(bob.email()).isNull();
    assertThat(users.create(two.id(), "bob", null).accountId()).isEqualTo(two.id());
    assertThatThrownBy(() -> users.create(one.id(), "bob", "bob@example.com"))
        .isInstanceOf(UserRepository.DuplicateUserException.class)
        .hasMessageContaining("already has a user 'bob'");
    users.create(one.id(), "robert", "rob@example.com");
    assertThatThrownBy(() -> users.create(one.id(), "rob", "rob@example.com"))
        .isInstanceOf(UserRepository.DuplicateUserException.class).hasMessageContaining("rob@example.com");
    assertThatThrownBy(() -> users.create(one.id(), "bob smith", null)).hasMessageContaining("cannot be a username");
    assertThatThrownBy(() -> users.create(one.id(), "-bob", null)).hasMessageContaining("cannot be a username");
    assertThatThrownBy(() -> users.create(one.id(), "carol", "not-an-email")).hasMessageContaining("not an email");
    assertThatThrownBy(() -> users.create(999_999, "carol", null)).hasMessageContaining("no account 999999");
    assertThat(users.find(one.id(), "bob")).contains(bob);
    assertThat(users.list(one.id())).extracting(User::username).containsExactly("bob", "robert");

    TokenRepository tokens = new TokenRepository(db);
    var token = tokens.createPersonal(bob, "laptop");
    assertThat(tokens.authenticate(token.plainToken())).isPresent();
    execute("delete from users where id = " + bob.id());
    assertThat(tokens.authenticate(token.plainToken())).isEmpty();
  }

  @Test
  void tokensAreUnique() {
    assertThat(Tokens.newToken()).isNotEqualTo(Tokens.newToken());
  }

  private static void execute(String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static List<String> query(String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          if (i > 1) {
            row.append('|');
          }
          row.append(rs.getString(i));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }
}
