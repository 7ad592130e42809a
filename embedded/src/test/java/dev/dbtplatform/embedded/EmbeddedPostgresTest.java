package dev.dbtplatform.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresTest {
  @Test
  void createsAWarehouseThatSurvivesARestart(@TempDir Path dataDir) throws Exception {
    int port;
    try (EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir, 0)) {
      port = postgres.port();
      assertThat(postgres.host()).isEqualTo("127.0.0.1");
      assertThat(postgres.jdbcUrl("warehouse")).isEqualTo("jdbc:postgresql://127.0.0.1:" + port + "/warehouse");
      postgres.createDatabase("warehouse", "dbt", "it's secret");
      postgres.createDatabase("warehouse", "dbt", "it's secret"); // again: nothing to do
      try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("warehouse"), "dbt", "it's secret")) {
        c.createStatement().execute("create table kept (id int)");
      }
      assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl("warehouse"), "dbt", "wrong"))
          .isInstanceOf(SQLException.class);
    }

    try (EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir, 0)) {
      postgres.createDatabase("warehouse", "dbt", "new password");
      try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("warehouse"), "dbt", "new password");
          ResultSet rs = c.createStatement().executeQuery("select count(*) from kept")) {
        assertThat(rs.next()).isTrue();
      }
    }
  }

  @Test
  void rejectsIdentifiersThatAreNotPlain() {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
      assertThatThrownBy(() -> postgres.createDatabase("ware\"house", "dbt", "x"))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
