package dev.dbtplatform.runtime;

import dev.dbtplatform.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole runs against real git, dbt and PostgreSQL: one warehouse and one git repository of the
 * sample project per test class, and a fresh folder per test.
 */
abstract class WarehouseRunTest {
  @TempDir
  static Path shared;
  static EmbeddedPostgres postgres;
  static TestSupport.GitRepo repo;

  @TempDir
  Path dir;

  @BeforeAll
  static void startWarehouse() throws Exception {
    TestSupport.dbtExecutable();
    postgres = TestSupport.startWarehouse();
    repo = TestSupport.GitRepo.create(shared.resolve("repo"));
  }

  @AfterAll
  static void stopWarehouse() {
    if (postgres != null) {
      postgres.close();
    }
  }
}
