package dev.dbtplatform.develop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbtplatform.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tests of dbt commands and previews share: one user's session over the sample project,
 * with a real PostgreSQL as the warehouse and the sample's seeds loaded into the user's schema.
 * Each test class starts its own from its {@code @BeforeAll} with {@link #startSeeded}.
 */
abstract class SeededSessionTest {
  @TempDir
  static Path dir;
  static EmbeddedPostgres warehouse;
  static Session session;
  static Api api;

  static void startSeeded(String user, String schema) throws Exception {
    Fixtures.dbtExecutable();
    warehouse = Fixtures.startWarehouse();
    session = Session.start(dir.resolve(user.toLowerCase(Locale.ROOT)), user, Fixtures.Remote.create(dir.resolve("remote")),
        warehouse, schema);
    api = session.api;
    JsonNode seeded = Commands.run(api, Api.json("command", "seed"));
    assertThat(seeded.path("state").asText()).as("%s", seeded).isEqualTo("succeeded");
  }

  @AfterAll
  static void stop() {
    if (session != null) {
      session.close();
      session = null;
    }
    if (warehouse != null) {
      warehouse.close();
      warehouse = null;
    }
  }
}
