package dev.dbtplatform.develop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file endpoints over a real clone of the sample project. */
class FilesApiTest {
  @TempDir
  static Path dir;
  static Session session;
  static Api api;
  /** A folder beside the workspace that no request may reach. */
  static Path outside;

  @BeforeAll
  static void start() throws Exception {
    Fixtures.Remote remote = Fixtures.Remote.create(dir.resolve("remote"));
    session = Session.start(dir.resolve("ada"), "Ada", remote, null, "dev_ada");
    api = session.api;
    outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), "not for the editor");
  }

  @AfterAll
  static void stop() {
    if (session != null) {
      session.close();
    }
  }

  @Test
  void treeListsTheProjectWithoutGitAndWhatDbtGenerates() throws Exception {
    Files.createDirectories(session.checkout().resolve("target/compiled"));
    Files.writeString(session.checkout().resolve("target/manifest.json"), "{}");
    Files.createDirectories(session.checkout().resolve("logs"));

    Api.Response tree = api.get("/files/tree");

    assertThat(tree.status()).isEqualTo(200);
    List<String> paths = paths(tree.get("entries"));
    assertThat(paths).contains("dbt_project.yml", "models", "models/marts/orders.sql", "macros/sleep.sql",
        "packages/shop_utils/dbt_project.yml");
    assertThat(paths).noneMatch(p -> p.startsWith(".git/") || p.equals(".git"));
    assertThat(paths).noneMatch(p -> p.startsWith("target") || p.startsWith("dbt_packages") || p.startsWith("logs"));
    JsonNode orders = entry(tree.get("entries"), "models/marts/orders.sql");
    assertThat(orders.path("type").asText()).isEqualTo("file");
    assertThat(orders.path("size").asLong()).isEqualTo(Files.size(session.checkout().resolve("models/marts/orders.sql")));
    assertThat(entry(tree.get("entries"), "models").path("type").asText()).isEqualTo("dir");
    assertThat(tree.get("project_dir").asText()).isEmpty();

    Api.Response staging = api.get("/files/tree?path=models/staging");
    assertThat(paths(staging.get("entries"))).contains("models/staging/stg_orders.sql").noneMatch(p -> p.startsWith("models/marts"));
  }

  @Test
  void writeReadRenameAndDeleteAFile() throws Exception {
    Api.Response written = api.writeFile("models/scratch/first.sql", "select 1 as one\n");
    assertThat(written.status()).isEqualTo(200);
    assertThat(written.get("created").asBoolean()).isTrue();
    assertThat(Files.readString(session.checkout().resolve("models/scratch/first.sql"))).isEqualTo("select 1 as one\n");

    Api.Response replaced = api.writeFile("models/scratch/first.sql", "select 2 as two\n");
    assertThat(replaced.get("created").asBoolean()).isFalse();
    Api.Response read = api.readFile("models/scratch/first.sql");
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.get("content").asText()).isEqualTo("select 2 as two\n");
    assertThat(read.get("encoding").asText()).isEqualTo("utf-8");

    Api.Response moved = api.post("/files/move", Api.json("from", "models/scratch/first.sql", "to", "models/renamed/second.sql"));
    assertThat(moved.status()).isEqualTo(200);
    assertThat(session.checkout().resolve("models/scratch/first.sql")).doesNotExist();
    assertThat(api.readFile("models/renamed/second.sql").get("content").asText()).isEqualTo("select 2 as two\n");

    assertThat(api.delete("/files?path=models/renamed/second.sql").status()).isEqualTo(200);
    assertThat(session.checkout().resolve("models/renamed/second.sql")).doesNotExist();
    assertThat(api.readFile("models/renamed/second.sql").status()).isEqualTo(404);
    assertThat(api.delete("/files?path=models/renamed/second.sql").status()).isEqualTo(404);
  }

  @Test
  void createFilesAndFoldersOnlyWhereNothingIs() {
    Api.Response folder = api.post("/files", Api.json("path", "models/new_area", "type", "dir"));
    assertThat(folder.status()).isEqualTo(201);
    Api.Response file = api.post("/files", Api.json("path", "models/new_area/a.sql", "content", "select 1 as a"));
    assertThat(file.status()).isEqualTo(201);

    Api.Response again = api.post("/files", Api.json("path", "models/new_area/a.sql", "content", "other"));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.errorCode()).isEqualTo("already_exists");
    assertThat(api.readFile("models/new_area/a.sql").get("content").asText()).isEqualTo("select 1 as a");
    assertThat(api.post("/files", Api.json("path", "models/new_area", "type", "dir")).status()).isEqualTo(409);

    Api.Response ontoExisting = api.post("/files/move", Api.json("from", "models/new_area/a.sql", "to", "dbt_project.yml"));
    assertThat(ontoExisting.status()).isEqualTo(409);
    Api.Response intoItself = api.post("/files/move", Api.json("from", "models/new_area", "to", "models/new_area/inner"));
    assertThat(intoItself.status()).isEqualTo(400);

    assertThat(api.delete("/files?path=models/new_area").status()).isEqualTo(200);
    assertThat(api.get("/files/tree?path=models/new_area").status()).isEqualTo(404);
  }

  @Test
  void binaryFilesGoAsBase64() throws Exception {
    byte[] bytes = {(byte) 0xff, 0, 1, 2, (byte) 0xfe};
    Api.Response written = api.put("/files?path=seeds/blob.bin",
        Api.json("content", Base64.getEncoder().encodeToString(bytes), "encoding", "base64"));
    assertThat(written.status()).isEqualTo(200);
    assertThat(Files.readAllBytes(session.checkout().resolve("seeds/blob.bin"))).isEqualTo(bytes);

    Api.Response read = api.readFile("seeds/blob.bin");
    assertThat(read.get("encoding").asText()).isEqualTo("base64");
    assertThat(Base64.getDecoder().decode(read.get("content").asText())).isEqualTo(bytes);
  }

  @Test
  void writesLargerThanTheLimitAre413AndChangeNothing() {
    String big = "x".repeat(5 * 1024 * 1024 + 1);
    Api.Response tooBig = api.writeFile("models/huge.sql", big);
    assertThat(tooBig.status()).isEqualTo(413);
    assertThat(tooBig.errorCode()).isEqualTo("file_too_large");
    assertThat(session.checkout().resolve("models/huge.sql")).doesNotExist();

    String withinLimit = "y".repeat(5 * 1024 * 1024);
    assertThat(api.writeFile("models/large_but_ok.sql", withinLimit).status()).isEqualTo(200);
    assertThat(api.delete("/files?path=models/large_but_ok.sql").status()).isEqualTo(200);
  }

  @Test
  void pathsThatLeaveTheCheckoutAreRejected() throws Exception {
    List<String> attempts = List.of(
        "../outside/secret.txt",
        "models/../../outside/secret.txt",
        "../../../../../../etc/passwd",
        "/etc/passwd",
        dir.resolve("outside/secret.txt").toString(),
        "models/..",
        "models\\..\\..\\outside\\secret.txt",
        "~/secret.txt",
        "models/orders.sql\0.txt",
        ".git/config",
        "models/../.git/HEAD",
        "");
    for (String path : attempts) {
      Api.Response read = api.readFile(path);
      assertThat(read.status()).as("read %s", path).isEqualTo(400);
      assertThat(read.text()).doesNotContain("not for the editor").doesNotContain("root:");
      Api.Response write = api.writeFile(path, "pwned");
      assertThat(write.status()).as("write %s", path).isEqualTo(400);
      assertThat(api.delete("/files?path=" + Api.encode(path)).status()).as("delete %s", path).isEqualTo(400);
    }
    assertThat(api.post("/files/move", Api.json("from", "dbt_project.yml", "to", "../outside/moved.yml")).status()).isEqualTo(400);
    assertThat(api.post("/files", Api.json("path", "../outside/new.sql", "content", "x")).status()).isEqualTo(400);
    assertThat(api.get("/files/tree?path=..").status()).isEqualTo(400);

    assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("not for the editor");
    try (var files = Files.list(outside)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("secret.txt");
    }
    assertThat(Files.readString(session.checkout().resolve(".git/HEAD"))).doesNotContain("pwned");
    assertThat(session.checkout().resolve("dbt_project.yml")).exists();
  }

  @Test
  void percentEncodedTraversalIsDecodedOnceAndStillRejected() throws Exception {
    // What the client sends on the wire, already encoded: the server decodes it once.
    List<String> encoded = List.of("%2e%2e%2foutside%2fsecret.txt", "..%2Foutside%2Fsecret.txt", "%2E%2E/%2E%2E/etc/passwd",
        "models%2F%2e%2e%2F%2e%2e%2Foutside%2Fsecret.txt", "%00", "models%2Forders.sql%00");
    for (String path : encoded) {
      Api.Response read = api.get("/files?path=" + path);
      assertThat(read.status()).as("read %s", path).isEqualTo(400);
      assertThat(read.text()).doesNotContain("not for the editor");
    }
    // Encoded twice, it is an odd file name inside the checkout, which does not exist.
    Api.Response twice = api.get("/files?path=%252e%252e%252foutside%252fsecret.txt");
    assertThat(twice.status()).isEqualTo(404);
    Api.Response write = api.put("/files?path=%252e%252e%252fescaped.sql", Api.json("content", "x"));
    assertThat(write.status()).isEqualTo(200);
    assertThat(session.checkout().resolve("%2e%2e%2fescaped.sql")).exists();
    assertThat(dir.resolve("escaped.sql")).doesNotExist();
    api.delete("/files?path=%252e%252e%252fescaped.sql");
  }

  @Test
  void symbolicLinksAreFollowedOnlyInsideTheCheckout() throws Exception {
    Path checkout = session.checkout();
    Files.createSymbolicLink(checkout.resolve("models/outside_link"), outside);
    Files.createSymbolicLink(checkout.resolve("models/secret_link.txt"), outside.resolve("secret.txt"));
    Files.createSymbolicLink(checkout.resolve("models/dangling_link.sql"), outside.resolve("nothing-yet.sql"));
    Files.createSymbolicLink(checkout.resolve("models/orders_link.sql"), checkout.resolve("models/marts/orders.sql"));
    try {
      for (String path : List.of("models/outside_link/secret.txt", "models/secret_link.txt", "models/outside_link")) {
        Api.Response read = api.readFile(path);
        assertThat(read.status()).as("read %s", path).isEqualTo(400);
        assertThat(read.text()).doesNotContain("not for the editor");
      }
      assertThat(api.writeFile("models/outside_link/planted.sql", "x").status()).isEqualTo(400);
      assertThat(api.writeFile("models/secret_link.txt", "overwritten").status()).isEqualTo(400);
      assertThat(api.writeFile("models/dangling_link.sql", "created outside").status()).isEqualTo(400);
      assertThat(api.get("/files/tree?path=models/outside_link").status()).isEqualTo(400);
      assertThat(outside.resolve("planted.sql")).doesNotExist();
      assertThat(outside.resolve("nothing-yet.sql")).doesNotExist();
      assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("not for the editor");

      // A link within the checkout works, and the tree shows links as links without following them.
      assertThat(api.readFile("models/orders_link.sql").get("content").asText()).contains("payment_methods");
      List<String> types = new ArrayList<>();
      api.get("/files/tree?path=models").get("entries").forEach(e -> {
        if (e.path("path").asText().endsWith("_link") || e.path("path").asText().endsWith("_link.sql")
            || e.path("path").asText().endsWith("_link.txt")) {
          types.add(e.path("type").asText());
        }
      });
      assertThat(types).hasSize(4).containsOnly("symlink");

      // Deleting a link removes the link, not what it points at.
      assertThat(api.delete("/files?path=models/outside_link").status()).isEqualTo(200);
      assertThat(api.delete("/files?path=models/secret_link.txt").status()).isEqualTo(200);
      assertThat(outside.resolve("secret.txt")).exists();
    } finally {
      for (String link : List.of("outside_link", "secret_link.txt", "dangling_link.sql", "orders_link.sql")) {
        Files.deleteIfExists(checkout.resolve("models").resolve(link));
      }
    }
  }

  @Test
  void badRequestsGetAnErrorBodyAndTheServerStaysUp() {
    assertThat(api.put("/files?path=models/x.sql", "{not json").status()).isEqualTo(400);
    assertThat(api.put("/files?path=models/x.sql", "[1,2]").errorCode()).isEqualTo("invalid_json");
    assertThat(api.put("/files?path=models/x.sql", "{}").errorCode()).isEqualTo("missing_field");
    assertThat(api.put("/files?path=models/x.sql", Api.json("content", 12)).status()).isEqualTo(400);
    assertThat(api.put("/files?path=models/x.sql", Api.json("content", "!!", "encoding", "base64")).errorCode())
        .isEqualTo("invalid_base64");
    assertThat(api.get("/files").errorCode()).isEqualTo("path_required");
    assertThat(api.readFile("models").errorCode()).isEqualTo("not_a_file");
    Api.Response unknown = api.get("/no/such/endpoint");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.get("error").path("message").asText()).contains("/no/such/endpoint");
    assertThat(api.get("/health").status()).isEqualTo(200);
  }

  private static List<String> paths(JsonNode entries) {
    List<String> paths = new ArrayList<>();
    entries.forEach(e -> paths.add(e.path("path").asText()));
    return paths;
  }

  private static JsonNode entry(JsonNode entries, String path) {
    for (JsonNode e : entries) {
      if (e.path("path").asText().equals(path)) {
        return e;
      }
    }
    throw new AssertionError("no entry " + path);
  }
}
