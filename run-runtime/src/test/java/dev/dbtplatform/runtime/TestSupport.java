package dev.dbtplatform.runtime;

import static org.assertj.core.api.Assertions.fail;

import dev.dbtplatform.contract.RunConfig;
import dev.dbtplatform.contract.RunSummary;
import dev.dbtplatform.contract.RunVolumeLayout;
import dev.dbtplatform.contract.StepMarkers;
import dev.dbtplatform.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Real dbt, real git, real PostgreSQL for the runtime tests. */
final class TestSupport {
  private TestSupport() {}

  static final String WAREHOUSE_DB = "warehouse";
  static final String WAREHOUSE_USER = "dbt";
  /** Distinctive, so a leak into any file or output is found. */
  static final String WAREHOUSE_PASSWORD = "pw-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

  /** The dbt of the project's venv, as set by the surefire configuration. */
  static String dbtExecutable() {
    String path = System.getProperty("dbt.executable");
    if (path == null || !Files.isExecutable(Path.of(path))) {
      fail("dbt not found at " + path + " (system property dbt.executable). "
          + "Create the venv with `make` (python/requirements.txt) before running these tests.");
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

  /** Runs git in {@code dir} and returns its trimmed output; fails the test when git fails. */
  static String git(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Test", "-c", "user.email=test@example.com",
        "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"));
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

  /**
   * A bare repository holding the sample project: commit 1 (tagged v1), then commit 2 which
   * only adds a line to the README, on branch main.
   */
  record GitRepo(String url, Path bare, String firstSha, String secondSha) {
    static final String SECOND_COMMIT_LINE = "Second commit of the test repository.";

    static GitRepo create(Path root) throws IOException {
      Path work = root.resolve("work");
      copyProject(sampleProject(), work);
      git(work, "init", "--quiet");
      git(work, "add", "--all");
      git(work, "commit", "--quiet", "-m", "Sample project");
      String first = git(work, "rev-parse", "HEAD");
      git(work, "tag", "v1");
      Files.writeString(work.resolve("README.md"), "\n" + SECOND_COMMIT_LINE + "\n", java.nio.file.StandardOpenOption.APPEND);
      git(work, "commit", "--quiet", "-am", "Second commit");
      String second = git(work, "rev-parse", "HEAD");
      Path bare = root.resolve("shop.git");
      git(root, "clone", "--quiet", "--bare", work.toString(), bare.toString());
      return new GitRepo("file://" + bare.toAbsolutePath(), bare, first, second);
    }
  }

  /** Copies the sample without what a local dbt run may have left in it. */
  static void copyProject(Path from, Path to) throws IOException {
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

  /** The warehouse Secret as Kubernetes mounts it: one file per key. */
  static Path writeWarehouseDir(Path dir, EmbeddedPostgres postgres, String schema) throws IOException {
    Files.createDirectories(dir);
    Map<String, String> keys = Map.of(
        "host", postgres.host(),
        "port", Integer.toString(postgres.port()),
        "user", WAREHOUSE_USER,
        "password", WAREHOUSE_PASSWORD + "\n", // as with kubectl create secret --from-file
        "dbname", WAREHOUSE_DB,
        "schema", schema);
    for (var e : keys.entrySet()) {
      Files.writeString(dir.resolve(e.getKey()), e.getValue());
    }
    return dir;
  }

  static RunConfig config(String runId, String gitUrl, String gitRef, long timeoutSeconds, List<String> steps) {
    return new RunConfig("7", "default", "run-" + runId, runId, "11", "22", "33", "Triggered by a test", "other",
        gitUrl, gitRef, null, steps, "dev", null, 4, timeoutSeconds, "postgres", Map.of("SHOP_TEST_VAR", "yes"),
        false, false, null);
  }

  /** The config with dbt Cloud's job options: the two checkbox steps and what the run defers to. */
  static RunConfig withJobOptions(RunConfig c, boolean sourceFreshness, boolean generateDocs, String deferral) {
    return new RunConfig(c.accountId(), c.namespace(), c.runName(), c.runId(), c.jobId(), c.projectId(),
        c.environmentId(), c.runReason(), c.runReasonCategory(), c.gitUrl(), c.gitRef(), c.subdirectory(), c.steps(),
        c.target(), c.schema(), c.threads(), c.timeoutSeconds(), c.adapterType(), c.env(),
        sourceFreshness, generateDocs, deferral);
  }

  static String newRunId() {
    return "r" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  /** A run in a fresh workspace, in-process, with its stdout captured. */
  static final class InProcessRun {
    final Path workspace;
    final Path terminationLog;
    final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    int exitCode;

    InProcessRun(Path dir) {
      this.workspace = dir.resolve("workspace");
      this.terminationLog = dir.resolve("termination-log");
    }

    InProcessRun run(String configJson, Path warehouseDir, Path gitCredentialsDir) {
      PrintStream out = new PrintStream(stdout, true, StandardCharsets.UTF_8);
      RunSettings settings = new RunSettings(configJson, workspace, warehouseDir, gitCredentialsDir, terminationLog,
          dbtExecutable(), System.getenv(), out);
      exitCode = new RunRuntime(settings).run();
      System.out.print(stdout()); // into the surefire report, to debug a failure
      return this;
    }

    RunSummary summary() throws IOException {
      return RunSummary.fromJson(Files.readString(RunVolumeLayout.summary(workspace)));
    }

    String log(int step) throws IOException {
      return Files.readString(RunVolumeLayout.stepLog(workspace, step));
    }

    String stdout() {
      return stdout.toString(StandardCharsets.UTF_8);
    }

    /** The step markers on stdout, in order. */
    List<StepMarkers.Marker> markers() {
      return stdout().lines().map(StepMarkers::parse).flatMap(Optional::stream).toList();
    }

    /** The stdout lines from step {@code index}'s started marker to its finished marker, both included. */
    List<String> stdoutOfStep(int index) {
      List<String> lines = stdout().lines().toList();
      int from = -1;
      for (int i = 0; i < lines.size(); i++) {
        Optional<StepMarkers.Marker> marker = StepMarkers.parse(lines.get(i));
        if (marker.isPresent() && marker.get().index() == index) {
          if (marker.get() instanceof StepMarkers.Started) {
            from = i;
          } else if (from >= 0) {
            return lines.subList(from, i + 1);
          }
        }
      }
      return List.of();
    }
  }

  /**
   * Processes still running with this run's DBT_CLOUD_RUN_ID in their environment, found in
   * /proc: a killed dbt's orphans are no longer descendants of anything the test knows.
   */
  static List<String> processesOfRun(String runId) {
    byte[] marker = ("DBT_CLOUD_RUN_ID=" + runId).getBytes(StandardCharsets.UTF_8);
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

  /** Every file under {@code dir} whose content contains {@code text}. */
  static List<Path> filesContaining(Path dir, String text) throws IOException {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    List<Path> found = new ArrayList<>();
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.filter(Files::isRegularFile).toList()) {
        if (indexOf(Files.readAllBytes(p), needle) >= 0) {
          found.add(p);
        }
      }
    }
    return found;
  }
}
