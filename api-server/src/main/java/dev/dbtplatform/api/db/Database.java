package dev.dbtplatform.api.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The API's application database: migrated by Flyway (scripts in {@code db/migration} on the
 * classpath) when opened, then read and written through jOOQ.
 *
 * <p>The data source is the driver's unpooled {@link PGSimpleDataSource}: each statement opens
 * its own connection. Good enough for the first endpoints; a pool comes with load.
 */
public final class Database {
  private final DataSource dataSource;
  private final DSLContext dsl;

  private Database(DataSource dataSource) {
    this.dataSource = dataSource;
    this.dsl = DSL.using(dataSource, SQLDialect.POSTGRES);
  }

  /** Connects, applies any pending migration, and returns the ready database. */
  public static Database open(String jdbcUrl, String user, String password) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(jdbcUrl);
    ds.setUser(user);
    ds.setPassword(password);
    ds.setApplicationName("dbt-platform-api");
    return open(ds);
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

  public DataSource dataSource() {
    return dataSource;
  }
}
