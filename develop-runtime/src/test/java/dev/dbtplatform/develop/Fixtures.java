package dev.dbtplatform.develop;

import dev.dbtplatform.embedded.EmbeddedPostgres;
import dev.dbtplatform.runtime.fixtures.RealFixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The real things the tests use: dbt from the project's venv, the sample project, git, PostgreSQL. */
final class Fixtures {
  private Fixtures() {}

  static final String WAREHOUSE_DB = RealFixtures.WAREHOUSE_DB;
  static final String WAREHOUSE_USER = RealFixtures.WAREHOUSE_USER;
  static final String WAREHOUSE_PASSWORD = RealFixtures.WAREHOUSE_PASSWORD;

  static String dbtExecutable() {
    return RealFixtures.dbtExecutable();
  }

  static String git(Path dir, String... args) {
    return RealFixtures.git(dir, args);
  }

  /** A bare repository holding the sample project on branch main: the remote of a session. */
  record Remote(String url, Path bare) {
    static Remote create(Path root) throws IOException {
      Path seed = root.resolve("seed");
      RealFixtures.copySample(seed);
      git(seed, "init", "--quiet");
      git(seed, "add", "--all");
      git(seed, "commit", "--quiet", "-m", "The sample project");
      Path bare = root.resolve("shop.git");
      git(root, "clone", "--quiet", "--bare", seed.toString(), bare.toString());
      return new Remote("file://" + bare.toAbsolutePath(), bare);
    }

    String log(String ref) {
      return git(bare, "log", "--format=%an <%ae>|%s", ref);
    }
  }

  static EmbeddedPostgres startWarehouse() {
    return RealFixtures.startWarehouse();
  }

  /** A user's development credentials as Kubernetes mounts the Secret: one file per key. */
  static Path warehouseDir(Path dir, EmbeddedPostgres postgres, String schema) throws IOException {
    return RealFixtures.warehouseDir(dir, postgres, schema);
  }

  /** Every readable file under {@code dir} (links not followed) whose bytes contain {@code text}. */
  static List<Path> filesContaining(Path dir, String text) throws IOException {
    return RealFixtures.filesContaining(dir, text);
  }

  /** As {@link #filesContaining(Path, String)}, among the files modified at or after {@code since}. */
  static List<Path> filesContaining(Path dir, String text, java.time.Instant since) throws IOException {
    return RealFixtures.filesContaining(dir, text, since);
  }

  /** Processes still alive with this variable and value in their environment, found in /proc. */
  static List<String> processesWithEnv(String name, String value) {
    return RealFixtures.processesWithEnv(name, value);
  }
}
