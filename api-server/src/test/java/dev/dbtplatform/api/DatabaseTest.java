package dev.dbtplatform.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbtplatform.api.auth.Tokens;
import dev.dbtplatform.api.db.Account;
import dev.dbtplatform.api.db.AccountRepository;
import dev.dbtplatform.api.db.Database;
import dev.dbtplatform.api.db.TokenRepository;
import dev.dbtplatform.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
        .containsExactly("1|t", "2|t", "3|t", "4|t", "5|t");
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
  }

  @Test
  void openingAgainMigratesNothing() throws SQLException {
    Database.open(postgres.jdbcUrl("api"), "api", "api-password");
    assertThat(query("select count(*) from flyway_schema_history where version is not null")).containsExactly("5");
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
    assertThat(tokens.authenticate(created.plainToken() + "x")).isEmpty();
  }

  @Test
  void tokensAreUnique() {
    assertThat(Tokens.newToken()).isNotEqualTo(Tokens.newToken());
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
