package dev.dbtplatform.bench.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Fills run history with finished runs of one account, as months of a busy account leave it:
 * 20 jobs, one run in ten failed, steps recorded. One INSERT ... SELECT over generate_series, so
 * that 100,000 rows take seconds and the rows are what RunHistory itself would read back.
 */
final class RunHistoryFill {
  private static final String STEPS = "[{\"index\":1,\"name\":\"Clone git repository\",\"status\":\"Succeeded\"},"
      + "{\"index\":2,\"name\":\"Invoke dbt with `dbt build`\",\"command\":\"dbt build\",\"status\":\"Succeeded\","
      + "\"exitCode\":0}]";

  private RunHistoryFill() {}

  /** Inserts {@code count} runs; answers the lowest and highest id. */
  static long[] fill(DataSource db, long accountId, String namespace, int count) throws SQLException {
    String sql = """
        insert into runs (account_id, namespace, name, uid, job_id, project_id, environment_id, job_name,
          environment_name, project_name, trigger_cause, trigger_category, status, phase, reason, git_branch, git_sha,
          created_at, started_at, finished_at, queued_seconds, prep_seconds, run_seconds, steps, artifacts_saved)
        select ?, ?, 'bench-' || g, md5(g::text), 1 + g % 20, 1, 1, 'job-' || (1 + g % 20), 'production', 'analytics',
          'Triggered by the benchmark', 'scheduled',
          case when g % 10 = 0 then 20 else 10 end, case when g % 10 = 0 then 'Failed' else 'Succeeded' end,
          case when g % 10 = 0 then 'StepFailed' else 'Completed' end, 'main', md5(g::text) || '01234567',
          now() - (? - g) * interval '1 minute', now() - (? - g) * interval '1 minute' + interval '5 seconds',
          now() - (? - g) * interval '1 minute' + interval '50 seconds', 1.5, 3.5, 45, ?, true
        from generate_series(1, ?) g
        """;
    try (Connection c = db.getConnection()) {
      try (PreparedStatement insert = c.prepareStatement(sql)) {
        insert.setLong(1, accountId);
        insert.setString(2, namespace);
        insert.setInt(3, count);
        insert.setInt(4, count);
        insert.setInt(5, count);
        insert.setString(6, STEPS);
        insert.setInt(7, count);
        insert.executeUpdate();
      }
      try (var analyze = c.createStatement()) {
        // the planner sees the table as it is, and index-only scans see the pages as visible, as autovacuum would soon
        analyze.execute("vacuum analyze runs");
      }
      try (PreparedStatement range = c.prepareStatement("select min(id), max(id) from runs where account_id = ?")) {
        range.setLong(1, accountId);
        try (var rs = range.executeQuery()) {
          rs.next();
          return new long[] {rs.getLong(1), rs.getLong(2)};
        }
      }
    }
  }
}
