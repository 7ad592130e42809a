package dev.dbtplatform.runtime;

import dev.dbtplatform.contract.RunConfig;
import dev.dbtplatform.contract.RunSummary;
import dev.dbtplatform.contract.RunVolumeLayout;
import dev.dbtplatform.contract.StepMarkers;
import dev.dbtplatform.embedded.EmbeddedPostgres;
import dev.dbtplatform.runtime.fixtures.RealFixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Real dbt, real git, real PostgreSQL for the runtime tests. */
final class TestSupport {
  private TestSupport() {}

  static final String WAREHOUSE_DB = RealFixtures.WAREHOUSE_DB;
  static final String WAREHOUSE_USER = RealFixtures.WAREHOUSE_USER;
  static final String WAREHOUSE_PASSWORD = RealFixtures.WAREHOUSE_PASSWORD;

  static String dbtExecutable() {
    return RealFixtures.dbtExecutable();
  }

  static String git(Path dir, String... args) {
    return RealFixtures.git(dir, args);
  }

  /**
   * A bare repository holding the sample project: commit 1 (tagged v1), then commit 2 which
   * only adds a line to the README, on branch main.
   */
  record GitRepo(String url, Path bare, String firstSha, String secondSha) {
    static final String SECOND_COMMIT_LINE = "Second commit of the test repository.";

    static GitRepo create(Path root) throws IOException {
      Path work = root.resolve("work");
      RealFixtures.copySample(work);
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

  static EmbeddedPostgres startWarehouse() {
    return RealFixtures.startWarehouse();
  }

  static Path writeWarehouseDir(Path dir, EmbeddedPostgres postgres, String schema) throws IOException {
    return RealFixtures.warehouseDir(dir, postgres, schema);
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
    return RealFixtures.processesWithEnv("DBT_CLOUD_RUN_ID", runId);
  }

  /** Every file under {@code dir} whose content contains {@code text}. */
  static List<Path> filesContaining(Path dir, String text) throws IOException {
    return RealFixtures.filesContaining(dir, text);
  }
}
