package dev.dbtplatform.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbtplatform.api.develop.DevelopSettings;
import dev.dbtplatform.api.webhooks.WebhookDeliverySettings;
import dev.dbtplatform.api.webhooks.WebhookSecrets;
import dev.dbtplatform.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The API server's command line and its configuration from the environment. */
class ApiMainTest {
  static EmbeddedPostgres postgres;
  static Map<String, String> env;

  @BeforeAll
  static void start() {
    postgres = EmbeddedPostgres.start();
    postgres.createDatabase("cli", "cli", "cli-password");
    env = new HashMap<>();
    env.put(ApiConfig.DB_URL, postgres.jdbcUrl("cli"));
    env.put(ApiConfig.DB_USER, "cli");
    env.put(ApiConfig.DB_PASSWORD, "cli-password");
  }

  @AfterAll
  static void stop() {
    postgres.close();
  }

  record Result(int code, String out, String err) {}

  static Result run(Map<String, String> env, String... args) throws InterruptedException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = ApiMain.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8).strip(), err.toString(StandardCharsets.UTF_8).strip());
  }

  @Test
  void createsAnAccountForANamespaceAndATokenShownOnce() throws Exception {
    Result account = run(env, "create-account", "Analytics", "analytics");
    assertThat(account.code()).as(account.err()).isZero();
    long id = Long.parseLong(account.out());
    Result token = run(env, "create-token", Long.toString(id), "airflow");
    assertThat(token.code()).as(token.err()).isZero();
    assertThat(token.out()).startsWith("dbtp_");
    assertThat(run(env, "create-token", "999999", "x").err()).contains("no account 999999");
    assertThat(run(env, "create-account", "only-a-name").err()).contains("usage: create-account NAME NAMESPACE");
    assertThat(run(env, "frobnicate").code()).isEqualTo(2);
  }

  @Test
  void createsUsersAndTheirPersonalTokens() throws Exception {
    long account = Long.parseLong(run(env, "create-account", "Analysts", "analysts").out());
    Result user = run(env, "create-user", Long.toString(account), "alice", "alice@example.com");
    assertThat(user.code()).as(user.err()).isZero();
    assertThat(Long.parseLong(user.out())).isPositive();
    Result withoutEmail = run(env, "create-user", Long.toString(account), "bob");
    assertThat(withoutEmail.code()).as(withoutEmail.err()).isZero();

    Result personal = run(env, "create-token", Long.toString(account), "alice's laptop", "--user", "alice");
    assertThat(personal.code()).as(personal.err()).isZero();
    assertThat(personal.out()).matches("dbtu_[A-Za-z0-9_-]{40}");
    Result service = run(env, "create-token", Long.toString(account), "airflow");
    assertThat(service.out()).startsWith("dbtp_");

    Result duplicate = run(env, "create-user", Long.toString(account), "alice");
    assertThat(duplicate.code()).isEqualTo(2);
    assertThat(duplicate.err()).isEqualTo("account " + account + " already has a user 'alice'");
    Result unknownUser = run(env, "create-token", Long.toString(account), "x", "--user", "carol");
    assertThat(unknownUser.code()).isEqualTo(2);
    assertThat(unknownUser.err()).contains("account " + account + " has no user 'carol'")
        .contains("create-user " + account + " carol");
    Result unknownAccount = run(env, "create-user", "999999", "dave");
    assertThat(unknownAccount.code()).isEqualTo(2);
    assertThat(unknownAccount.err()).isEqualTo("no account 999999");
    assertThat(run(env, "create-token", "999999", "x", "--user", "alice").err()).isEqualTo("no account 999999");
    assertThat(run(env, "create-user", Long.toString(account), "not a name").err()).contains("cannot be a username");
    assertThat(run(env, "create-user", Long.toString(account), "erin", "erin-at-example").err())
        .contains("not an email address");
    assertThat(run(env, "create-user", "first", "erin").err()).contains("the account id must be a whole number");
    assertThat(run(env, "create-user", Long.toString(account)).err())
        .contains("usage: create-user ACCOUNT_ID USERNAME [EMAIL]");
    assertThat(run(env, "create-token", Long.toString(account), "x", "--owner", "alice").err())
        .contains("usage: create-token ACCOUNT_ID NAME [--user USERNAME]");
  }

  @Test
  void configurationErrorsNameTheVariable() throws Exception {
    Map<String, String> noDb = new HashMap<>(env);
    noDb.remove(ApiConfig.DB_URL);
    assertThat(run(noDb, "create-account", "a", "b").err()).contains("set " + ApiConfig.DB_URL);
    Map<String, String> mysql = new HashMap<>(env);
    mysql.put(ApiConfig.DB_URL, "jdbc:mysql://x/db");
    assertThatThrownBy(() -> ApiConfig.fromEnv(mysql)).hasMessageContaining("PostgreSQL JDBC URL");
    Map<String, String> port = new HashMap<>(env);
    port.put(ApiConfig.PORT, "http");
    assertThatThrownBy(() -> ApiConfig.fromEnv(port)).hasMessageContaining(ApiConfig.PORT);
    Map<String, String> rate = new HashMap<>(env);
    rate.put(ApiConfig.RATE_LIMIT, "0");
    assertThatThrownBy(() -> ApiConfig.fromEnv(rate)).hasMessageContaining(ApiConfig.RATE_LIMIT);
    assertThat(ApiConfig.fromEnv(env).toString()).doesNotContain("cli-password");
    assertThat(ApiConfig.fromEnv(env).server().port()).isEqualTo(8443);
    assertThat(ApiConfig.fromEnv(env).develop().resumeWait()).hasSeconds(60);
    Map<String, String> resume = new HashMap<>(env);
    resume.put(DevelopSettings.RESUME_WAIT_SECONDS, "15");
    assertThat(ApiConfig.fromEnv(resume).develop().resumeWait()).hasSeconds(15);
    resume.put(DevelopSettings.RESUME_WAIT_SECONDS, "601");
    assertThatThrownBy(() -> ApiConfig.fromEnv(resume)).hasMessageContaining(DevelopSettings.RESUME_WAIT_SECONDS);
  }

  @Test
  void webhookSettingsAndTheSecretKeyAreReadAtStartAndWrongOnesStopIt() throws Exception {
    ApiConfig defaults = ApiConfig.fromEnv(env);
    assertThat(defaults.webhooks()).isEqualTo(WebhookDeliverySettings.defaults());
    assertThat(defaults.webhookSecrets().encrypts()).isFalse();
    String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
    Map<String, String> set = new HashMap<>(env);
    set.put(WebhookDeliverySettings.RETENTION_DAYS, "7");
    set.put(WebhookDeliverySettings.TIMEOUT_SECONDS, "3");
    set.put(WebhookSecrets.KEY_VARIABLE, key);
    ApiConfig config = ApiConfig.fromEnv(set);
    assertThat(config.webhooks().retention().toDays()).isEqualTo(7);
    assertThat(config.webhooks().timeout().toSeconds()).isEqualTo(3);
    assertThat(config.webhookSecrets().encrypts()).isTrue();
    assertThat(config.toString()).doesNotContain(key);

    // serve stops before anything starts, naming what to fix
    Map<String, String> badKey = new HashMap<>(env);
    badKey.put(WebhookSecrets.KEY_VARIABLE, "not-a-key");
    Result refused = run(badKey, "serve");
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err()).contains("invalid configuration").contains(WebhookSecrets.KEY_VARIABLE)
        .contains("openssl rand -base64 32");
    Map<String, String> badAttempts = new HashMap<>(env);
    badAttempts.put(WebhookDeliverySettings.MAX_ATTEMPTS, "0");
    Result refusedAttempts = run(badAttempts, "serve");
    assertThat(refusedAttempts.code()).isEqualTo(2);
    assertThat(refusedAttempts.err()).contains(WebhookDeliverySettings.MAX_ATTEMPTS + " must be from 1 to 20");
  }

  @Test
  void tlsNeedsBothPemFilesOrAKeyStore() {
    assertThat(ApiTls.fromEnv(Map.of())).isNull();
    assertThatThrownBy(() -> ApiTls.fromEnv(Map.of(ApiTls.CERT, "/etc/tls/tls.crt")))
        .hasMessageContaining(ApiTls.KEY);
    assertThatThrownBy(() -> ApiTls.fromEnv(Map.of(ApiTls.KEYSTORE, "/k.p12", ApiTls.CERT, "/c.crt")))
        .hasMessageContaining("not both");
    assertThatThrownBy(() -> ApiTls.fromEnv(Map.of(ApiTls.CERT, "/no/such/tls.crt", ApiTls.KEY, "/no/such/tls.key")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/no/such/tls.crt");
  }
}
