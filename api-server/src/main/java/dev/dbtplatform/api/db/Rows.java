package dev.dbtplatform.api.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.TableRecord;
import org.jooq.exception.DataAccessException;

/**
 * Plain JDBC for the few lookups that every polling client repeats: SQL rendered once by jOOQ
 * (so it still follows the generated schema), and the row read into the table's own record, so
 * the rest of the code sees what a jOOQ fetch would give.
 */
final class Rows {
  private Rows() {}

  /**
   * The one row of {@code table} that {@code sql} (a {@code select *} of the table, with {@code ?}
   * for each of {@code keys}) finds, if any.
   */
  static <R extends TableRecord<R>> Optional<R> fetchOptional(DataSource db, String sql, Table<R> table, long... keys) {
    try (Connection c = db.getConnection(); PreparedStatement query = c.prepareStatement(sql)) {
      for (int i = 0; i < keys.length; i++) {
        query.setLong(i + 1, keys[i]);
      }
      try (ResultSet rs = query.executeQuery()) {
        return rs.next() ? Optional.of(read(rs, table)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new DataAccessException("lookup in " + table.getName() + " failed: " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <R extends TableRecord<R>> R read(ResultSet rs, Table<R> table) throws SQLException {
    R record = table.newRecord();
    Field<?>[] fields = table.fields();
    for (int i = 0; i < fields.length; i++) {
      record.set((Field<Object>) fields[i], rs.getObject(i + 1, fields[i].getType()));
    }
    record.changed(false);
    return record;
  }
}
