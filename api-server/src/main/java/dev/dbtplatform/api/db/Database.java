package dev.dbtplatform.api.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * The API's application database: migrated by Flyway (scripts in {@code db/migration} on the
 * classpath) when opened, then read and written through jOOQ over a pool of connections (every
 * request makes a few statements; opening a connection for each would cost more than they do).
 */
public final class Database implements AutoCloseable {
  /** Connections per API server: requests are short, and PostgreSQL's own limit is shared. */
  public static final int DEFAULT_POOL_SIZE = 10;

  private final DataSource dataSource;
  private final DSLContext dsl;
  /** Accounts by id: rows that are never changed nor deleted once created, so never stale. */
  private final Map<Long, Account> accounts = new ConcurrentHashMap<>();

  private Database(DataSource dataSource) {
    this.dataSource = dataSource;
    // jOOQ's execute logging wraps every statement in a listener even when its debug log is off;
    // statements are timed by the API's metrics instead.
    this.dsl = DSL.using(dataSource, SQLDialect.POSTGRES, new Settings().withExecuteLogging(false));
  }

  /** Connects, applies any pending migration, and returns the ready database. */
  public static Database open(String jdbcUrl, String user, String password) {
    return open(jdbcUrl, user, password, DEFAULT_POOL_SIZE);
  }

  public static Database open(String jdbcUrl, String user, String password, int poolSize) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(poolSize);
    config.setPoolName("dbt-platform-api");
    config.addDataSourceProperty("ApplicationName", "dbt-platform-api");
    // fail fast with the driver's own message when the database is unreachable or refuses the login
    config.setInitializationFailTimeout(10_000);
    HikariDataSource pool = new HikariDataSource(config);
    try {
      return open(pool);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  public static Database open(DataSource dataSource) {
    Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration")
        .load()
        .migrate();
    return new Database(dataSource);
  }

  public DSLContext dsl() {
    return dsl;
  }

  Map<Long, Account> accountsById() {
    return accounts;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** Closes the pool, when this database opened one. */
  @Override
  public void close() {
    if (dataSource instanceof HikariDataSource pool) {
      pool.close();
    }
  }
}
