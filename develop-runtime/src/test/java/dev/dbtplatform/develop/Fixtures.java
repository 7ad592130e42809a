package dev.dbtplatform.develop;

import static org.assertj.core.api.Assertions.fail;

import dev.dbtplatform.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** The real things the tests use: dbt from the project's venv, the sample project, git, PostgreSQL. */
final class Fixtures {
  private Fixtures() {}

  static final String WAREHOUSE_DB = "warehouse";
  static final String WAREHOUSE_USER = "dev_user";
  /** Distinctive, so that a leak into a response or a file would be found. */
  static final String WAREHOUSE_PASSWORD = "devpw-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  static String dbtExecutable() {
    String path = System.getProperty("dbt.executable");
    if (path == null || !Files.isExecutable(Path.of(path))) {
      fail("dbt not found at " + path + " (system property dbt.executable); create the venv with `make` first.");
    }
    return Path.of(path).toAbsolutePath().normalize().toString();
  }

  static Path sampleProject() {
    Path path = Path.of(System.getProperty("sample.project", "../samples/dbt-project"));
    if (!Files.isRegularFile(path.resolve("dbt_project.yml"))) {
      fail("sample dbt project not found at " + path.toAbsolutePath() + " (system property sample.project)");
    }
    return path;
  }

  /** git with a fixed identity and no signing, whatever the machine's configuration says. */
  static String git(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Someone Else", "-c", "user.email=else@example.com",
        "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        fail("git " + String.join(" ", args) + " failed: " + out);
      }
      return out;
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A bare repository holding the sample project on branch main: the remote of a session. */
  record Remote(String url, Path bare) {
    static Remote create(Path root) throws IOException {
      Path seed = root.resolve("seed");
      copySample(seed);
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

  /** The sample without what a local dbt run may have left in it. */
  static void copySample(Path to) throws IOException {
    Path from = sampleProject();
    Set<String> skip = Set.of("target", "dbt_packages", "logs", "package-lock.yml");
    try (var paths = Files.walk(from)) {
      for (Path source : paths.toList()) {
        Path relative = from.relativize(source);
        if (relative.getNameCount() > 0 && skip.contains(relative.getName(0).toString())) {
          continue;
        }
        Path target = to.resolve(relative.toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  static EmbeddedPostgres startWarehouse() {
    EmbeddedPostgres postgres = EmbeddedPostgres.start();
    postgres.createDatabase(WAREHOUSE_DB, WAREHOUSE_USER, WAREHOUSE_PASSWORD);
    return postgres;
  }

  /** A user's development credentials as Kubernetes mounts the Secret: one file per key. */
  static Path warehouseDir(Path dir, EmbeddedPostgres postgres, String schema) throws IOException {
    Files.createDirectories(dir);
    Map<String, String> keys = Map.of(
        "host", postgres == null ? "127.0.0.1" : postgres.host(),
        "port", postgres == null ? "1" : Integer.toString(postgres.port()),
        "user", WAREHOUSE_USER,
        "password", WAREHOUSE_PASSWORD + "\n",
        "dbname", WAREHOUSE_DB,
        "schema", schema);
    for (var e : keys.entrySet()) {
      Files.writeString(dir.resolve(e.getKey()), e.getValue());
    }
    return dir;
  }

  /** Every readable file under {@code dir} (links not followed) whose bytes contain {@code text}. */
  static List<Path> filesContaining(Path dir, String text) throws IOException {
    return filesContaining(dir, text, java.time.Instant.EPOCH);
  }

  /** As {@link #filesContaining(Path, String)}, among the files modified at or after {@code since}. */
  static List<Path> filesContaining(Path dir, String text, java.time.Instant since) throws IOException {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    List<Path> found = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return found;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        boolean recent = !attrs.lastModifiedTime().toInstant().isBefore(since);
        if (attrs.isRegularFile() && recent && attrs.size() < 256L * 1024 * 1024) {
          try {
            if (indexOf(Files.readAllBytes(file), needle) >= 0) {
              found.add(file);
            }
          } catch (IOException | OutOfMemoryError e) {
            // gone meanwhile, or not ours to read
          }
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        return FileVisitResult.CONTINUE;
      }
    });
    return found;
  }

  /** Processes still alive with this variable and value in their environment, found in /proc. */
  static List<String> processesWithEnv(String name, String value) {
    byte[] marker = (name + "=" + value).getBytes(StandardCharsets.UTF_8);
    List<String> found = new ArrayList<>();
    ProcessHandle.allProcesses().forEach(p -> {
      try {
        byte[] environ = Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "environ"));
        if (indexOf(environ, marker) >= 0 && p.isAlive()) {
          found.add(p.pid() + " " + p.info().commandLine().orElse("?"));
        }
      } catch (IOException | RuntimeException e) {
        // gone meanwhile, or not ours to read
      }
    });
    return found;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
