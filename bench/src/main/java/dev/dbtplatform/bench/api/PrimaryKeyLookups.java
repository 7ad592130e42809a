package dev.dbtplatform.bench.api;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The database's side of the limit: a run row by primary key over JDBC, one connection per
 * thread, every column read, as fast as PostgreSQL answers. The API cannot serve a run lookup
 * faster than this, whatever its HTTP stack does.
 */
final class PrimaryKeyLookups implements LoadRun.Worker {
  private final Connection connection;
  private final PreparedStatement select;
  private final long minId;
  private final long maxId;

  PrimaryKeyLookups(String jdbcUrl, String user, String password, long minId, long maxId) throws Exception {
    this.connection = DriverManager.getConnection(jdbcUrl, user, password);
    this.select = connection.prepareStatement("select * from runs where id = ?");
    this.minId = minId;
    this.maxId = maxId;
  }

  @Override
  public void request() throws Exception {
    select.setLong(1, ThreadLocalRandom.current().nextLong(minId, maxId + 1));
    try (ResultSet rs = select.executeQuery()) {
      if (!rs.next()) {
        throw new IllegalStateException("no run");
      }
      int columns = rs.getMetaData().getColumnCount();
      for (int i = 1; i <= columns; i++) {
        rs.getObject(i);
      }
    }
  }

  @Override
  public void close() throws Exception {
    connection.close();
  }
}
