package dev.dbtplatform.runtime;

import static dev.dbtplatform.runtime.TestSupport.config;
import static dev.dbtplatform.runtime.TestSupport.newRunId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbtplatform.contract.RunOutcome;
import dev.dbtplatform.contract.RunSummary;
import dev.dbtplatform.contract.RunVolumeLayout;
import dev.dbtplatform.contract.RuntimeEnv;
import dev.dbtplatform.contract.StepMarkers;
import dev.dbtplatform.contract.StepResult;
import dev.dbtplatform.contract.StepStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Whole runs, in-process, against real git, dbt and PostgreSQL. */
class RunRuntimeTest extends WarehouseRunTest {
  @Test
  void seedAndBuildSucceed() throws Exception {
    String runId = newRunId();
    var run = new TestSupport.InProcessRun(dir).run(
        config(runId, repo.url(), null, 0, List.of("dbt seed", "dbt build")).toJson(),
        TestSupport.writeWarehouseDir(dir.resolve("warehouse"), postgres, "happy"), dir.resolve("no-git-credentials"));

    RunSummary summary = run.summary();
    assertThat(run.exitCode).as(run.stdout()).isEqualTo(RuntimeEnv.EXIT_SUCCEEDED);
    assertThat(summary.outcome()).isEqualTo(RunOutcome.Succeeded);
    assertThat(summary.gitSha()).isEqualTo(repo.secondSha());
    assertThat(summary.gitBranch()).isEqualTo("main");
    assertThat(summary.steps()).extracting(StepResult::index).containsExactly(1, 2, 3, 4, 5);
    assertThat(summary.steps()).extracting(StepResult::name).containsExactly(
        "Clone git repository",
        "Create profile from connection postgres",
        "Invoke dbt with `dbt deps`",
        "Invoke dbt with `dbt seed`",
        "Invoke dbt with `dbt build`");
    assertThat(summary.steps()).extracting(StepResult::command)
        .containsExactly(null, null, "dbt deps", "dbt seed", "dbt build");
    assertThat(summary.steps()).allMatch(s -> s.status() == StepStatus.Succeeded && s.startedAt() != null && s.finishedAt() != null);
    assertThat(summary.steps().subList(2, 5)).allMatch(s -> Integer.valueOf(0).equals(s.exitCode()));

    Path buildArtifacts = RunVolumeLayout.stepArtifacts(run.workspace, 5);
    assertThat(buildArtifacts.resolve("run_results.json")).exists();
    assertThat(buildArtifacts.resolve("manifest.json")).exists();
    assertThat(RunVolumeLayout.stepArtifacts(run.workspace, 4).resolve("run_results.json")).exists();
    JsonNode results = new ObjectMapper().readTree(buildArtifacts.resolve("run_results.json").toFile());
    JsonNode env = results.path("metadata").path("env");
    assertThat(env.path("DBT_CLOUD_RUN_ID").asText()).isEqualTo(runId);
    assertThat(env.path("DBT_CLOUD_JOB_ID").asText()).isEqualTo("11");
    assertThat(results.path("results")).hasSizeGreaterThan(20);

    for (int step = 1; step <= 5; step++) {
      assertThat(RunVolumeLayout.stepLog(run.workspace, step)).exists();
    }
    assertThat(run.log(1)).contains("Cloning " + repo.url() + " at the default branch");
    assertThat(run.log(2)).contains("password (secret)");
    assertThat(run.log(5)).contains("Completed successfully").contains("Step 5 succeeded in");
    assertThat(run.stdout()).contains("Step 5 succeeded in").contains("All 5 steps succeeded");

    // On stdout (the pod log) each step's output sits between its two markers; the step logs have none.
    List<StepMarkers.Marker> markers = run.markers();
    assertThat(markers).extracting(m -> m.getClass().getSimpleName() + " " + m.index()).containsExactly(
        "Started 1", "Finished 1", "Started 2", "Finished 2", "Started 3", "Finished 3",
        "Started 4", "Finished 4", "Started 5", "Finished 5");
    // The clone found packages.yml: from its end on, the run has a deps step more.
    assertThat(markers).extracting(StepMarkers.Marker::total).containsExactly(4, 5, 5, 5, 5, 5, 5, 5, 5, 5);
    assertThat(markers).filteredOn(m -> m instanceof StepMarkers.Started)
        .extracting(m -> ((StepMarkers.Started) m).name())
        .containsExactlyElementsOf(summary.steps().stream().map(StepResult::name).toList());
    assertThat(markers).filteredOn(m -> m instanceof StepMarkers.Finished)
        .extracting(m -> ((StepMarkers.Finished) m).status(), m -> ((StepMarkers.Finished) m).exitCode())
        .containsExactlyElementsOf(summary.steps().stream()
            .map(s -> tuple(s.status(), s.exitCode())).toList());
    assertThat(markers.get(8).at()).isEqualTo(summary.steps().get(4).startedAt().truncatedTo(ChronoUnit.MILLIS));
    assertThat(run.stdoutOfStep(5)).anyMatch(line -> line.contains("Step 5: Invoke dbt with `dbt build`"))
        .anyMatch(line -> line.contains("Completed successfully"))
        .anyMatch(line -> line.contains("Step 5 succeeded in"));
    assertThat(run.stdoutOfStep(1)).anyMatch(line -> line.contains("Cloning "))
        .noneMatch(line -> line.contains("Profile "));
    for (int step = 1; step <= 5; step++) {
      assertThat(run.log(step)).doesNotContain(StepMarkers.PREFIX);
    }

    // The password is nowhere: not in logs, artifacts, the checkout, dbt's own log, nor stdout.
    assertThat(TestSupport.filesContaining(run.workspace, TestSupport.WAREHOUSE_PASSWORD)).isEmpty();
    assertThat(run.stdout()).doesNotContain(TestSupport.WAREHOUSE_PASSWORD);
    // profiles.yml lives outside the workspace, and is gone after the run.
    try (var files = Files.walk(run.workspace)) {
      assertThat(files.map(p -> p.getFileName().toString())).doesNotContain("profiles.yml");
    }

    assertThat(RunSummary.fromJson(Files.readString(run.terminationLog)).outcome()).isEqualTo(RunOutcome.Succeeded);
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(TestSupport.WAREHOUSE_DB),
        TestSupport.WAREHOUSE_USER, TestSupport.WAREHOUSE_PASSWORD);
        ResultSet rs = c.createStatement().executeQuery("select count(*) from happy.customers")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(20);
    }
  }

  @Test
  void failingModelFailsTheRunAndSkipsTheRest() throws Exception {
    String runId = newRunId();
    var run = new TestSupport.InProcessRun(dir).run(
        config(runId, repo.url(), "main", 0,
            List.of("dbt seed", "dbt run --vars '{\"include_broken\": true}'", "dbt build")).toJson(),
        TestSupport.writeWarehouseDir(dir.resolve("warehouse"), postgres, "failing"), null);

    RunSummary summary = run.summary();
    assertThat(run.exitCode).as(run.stdout()).isEqualTo(RuntimeEnv.EXIT_STEP_FAILED);
    assertThat(summary.outcome()).isEqualTo(RunOutcome.Failed);
    assertThat(summary.reason()).isEqualTo("StepFailed");
    assertThat(summary.message()).contains("Step 5").contains("dbt run --vars");
    assertThat(summary.gitBranch()).isEqualTo("main");
    assertThat(summary.steps()).extracting(StepResult::status).containsExactly(
        StepStatus.Succeeded, StepStatus.Succeeded, StepStatus.Succeeded, StepStatus.Succeeded,
        StepStatus.Failed, StepStatus.Skipped);
    assertThat(summary.steps().get(4).exitCode()).isEqualTo(1);
    assertThat(summary.steps().get(5).startedAt()).isNull();
    assertThat(run.log(5)).contains("no_such_column");
    assertThat(run.log(6)).contains("skipped");
    // The failed step's output is between its markers; the skipped step never started, so it has only an end.
    assertThat(run.stdoutOfStep(5)).anyMatch(line -> line.contains("no_such_column"));
    assertThat(run.markers()).extracting(m -> m.getClass().getSimpleName() + " " + m.index()).endsWith(
        "Started 5", "Finished 5", "Finished 6");
    StepMarkers.Finished failed = (StepMarkers.Finished) run.markers().get(run.markers().size() - 2);
    StepMarkers.Finished skipped = (StepMarkers.Finished) run.markers().get(run.markers().size() - 1);
    assertThat(failed.status()).isEqualTo(StepStatus.Failed);
    assertThat(failed.exitCode()).isEqualTo(1);
    assertThat(skipped.status()).isEqualTo(StepStatus.Skipped);
    assertThat(skipped.exitCode()).isNull();
    // Artifacts of the failed step are kept: they say what failed.
    assertThat(RunVolumeLayout.stepArtifacts(run.workspace, 5).resolve("run_results.json")).exists();
    assertThat(RunVolumeLayout.stepArtifacts(run.workspace, 6)).doesNotExist();
  }

  @Test
  void timeoutStopsDbtAndEverythingItStarted() throws Exception {
    String runId = newRunId();
    long started = System.nanoTime();
    var run = new TestSupport.InProcessRun(dir).run(
        // 20 s: enough for clone, deps and dbt's parsing on a slow machine, so the sleep is what times out.
        config(runId, repo.url(), null, 20, List.of(slowModel(61), "dbt build")).toJson(),
        TestSupport.writeWarehouseDir(dir.resolve("warehouse"), postgres, "timeout"), null);
    double seconds = (System.nanoTime() - started) / 1e9;

    RunSummary summary = run.summary();
    assertThat(run.exitCode).as(run.stdout()).isEqualTo(RuntimeEnv.EXIT_TIMED_OUT);
    assertThat(summary.outcome()).isEqualTo(RunOutcome.TimedOut);
    assertThat(summary.reason()).isEqualTo("Timeout");
    assertThat(summary.steps()).extracting(StepResult::status).containsExactly(
        StepStatus.Succeeded, StepStatus.Succeeded, StepStatus.Succeeded, StepStatus.TimedOut, StepStatus.Skipped);
    assertThat(run.log(4)).contains("START sql table model").contains("Timeout reached");
    assertThat(seconds).isLessThan(45);
    assertThat(TestSupport.processesOfRun(runId)).isEmpty();
    assertThat(activeSleepQueries(61)).as("dbt cancelled its warehouse query").isZero();
  }

  /** A step that runs the sample's slow model, whose query sleeps in the warehouse. */
  private static String slowModel(int seconds) {
    return "dbt run --select wait_a_while --vars '{include_slow: true, sleep_seconds: " + seconds + "}'";
  }

  /** Queries still running the slow model's pg_sleep of that many seconds. */
  private static int activeSleepQueries(int seconds) throws Exception {
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(TestSupport.WAREHOUSE_DB), "postgres", "");
         ResultSet rs = c.createStatement().executeQuery(
             "select count(*) from pg_stat_activity where state = 'active' and query like '%pg_sleep(" + seconds + ")%'"
                 + " and usename = '" + TestSupport.WAREHOUSE_USER + "'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  void checksOutACommit() throws Exception {
    var run = new TestSupport.InProcessRun(dir).run(
        config(newRunId(), repo.url(), repo.firstSha(), 0, List.of("dbt parse")).toJson(),
        TestSupport.writeWarehouseDir(dir.resolve("warehouse"), postgres, "commit"), null);

    RunSummary summary = run.summary();
    assertThat(run.exitCode).as(run.stdout()).isEqualTo(RuntimeEnv.EXIT_SUCCEEDED);
    assertThat(summary.gitSha()).isEqualTo(repo.firstSha());
    assertThat(summary.gitBranch()).isNull();
    assertThat(Files.readString(run.workspace.resolve("project/README.md")))
        .doesNotContain(TestSupport.GitRepo.SECOND_COMMIT_LINE);
    assertThat(RunVolumeLayout.stepArtifacts(run.workspace, 4).resolve("manifest.json")).exists();
  }

  @Test
  void missingRefFailsTheClone() throws Exception {
    var run = new TestSupport.InProcessRun(dir).run(
        config(newRunId(), repo.url(), "no-such-branch", 0, List.of("dbt build")).toJson(),
        TestSupport.writeWarehouseDir(dir.resolve("warehouse"), postgres, "missing"), null);

    RunSummary summary = run.summary();
    assertThat(run.exitCode).isEqualTo(RuntimeEnv.EXIT_STEP_FAILED);
    assertThat(summary.outcome()).isEqualTo(RunOutcome.Failed);
    assertThat(summary.reason()).isEqualTo("CloneFailed");
    assertThat(summary.message()).contains("no-such-branch");
    assertThat(summary.gitSha()).isNull();
    assertThat(summary.steps()).extracting(StepResult::status)
        .containsExactly(StepStatus.Failed, StepStatus.Skipped, StepStatus.Skipped);
    assertThat(run.log(1)).contains("no-such-branch");
  }

  @Test
  void invalidConfigExitsWithTwo() throws Exception {
    var missing = new TestSupport.InProcessRun(dir.resolve("missing")).run(null, dir, null);
    assertThat(missing.exitCode).isEqualTo(RuntimeEnv.EXIT_INVALID_CONFIG);
    assertThat(missing.summary().outcome()).isEqualTo(RunOutcome.Failed);
    assertThat(missing.summary().reason()).isEqualTo("InvalidConfig");
    assertThat(missing.summary().message()).contains(RuntimeEnv.RUN_CONFIG);
    assertThat(RunSummary.fromJson(Files.readString(missing.terminationLog)).reason()).isEqualTo("InvalidConfig");

    var notJson = new TestSupport.InProcessRun(dir.resolve("not-json")).run("{steps: nope", dir, null);
    assertThat(notJson.exitCode).isEqualTo(RuntimeEnv.EXIT_INVALID_CONFIG);
    assertThat(notJson.summary().reason()).isEqualTo("InvalidConfig");

    var notDbt = new TestSupport.InProcessRun(dir.resolve("not-dbt")).run(
        config(newRunId(), repo.url(), null, 0, List.of("dbt seed", "rm -rf /")).toJson(), dir, null);
    assertThat(notDbt.exitCode).isEqualTo(RuntimeEnv.EXIT_INVALID_CONFIG);
    assertThat(notDbt.summary().reason()).isEqualTo("InvalidConfig");
    assertThat(notDbt.summary().message()).contains("step 2").contains("dbt ");
    assertThat(notDbt.workspace.resolve("project")).doesNotExist();
  }

  /** RunMain in its own JVM, stopped with SIGTERM as Kubernetes stops a pod. */
  @Test
  void sigtermCancelsTheRunAndStopsDbt() throws Exception {
    String runId = TestSupport.newRunId();
    Path workspace = dir.resolve("workspace");
    Path terminationLog = dir.resolve("termination/log");
    Path warehouse = TestSupport.writeWarehouseDir(dir.resolve("warehouse"), postgres, "sigterm");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), RunMain.class.getName())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("stdout.txt").toFile());
    builder.environment().put(RuntimeEnv.RUN_CONFIG,
        config(runId, repo.url(), null, 0, List.of(slowModel(62), "dbt build")).toJson());
    builder.environment().put(RuntimeEnv.WORKSPACE, workspace.toString());
    builder.environment().put(RuntimeEnv.WAREHOUSE_DIR, warehouse.toString());
    builder.environment().put(RuntimeEnv.GIT_CREDENTIALS_DIR, dir.resolve("none").toString());
    builder.environment().put(RuntimeEnv.TERMINATION_LOG, terminationLog.toString());
    builder.environment().put(RuntimeEnv.DBT_EXECUTABLE, TestSupport.dbtExecutable());
    Process runtime = builder.start();
    try {
      Path sleepLog = RunVolumeLayout.stepLog(workspace, 4);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      // dbt logs the model's start before its query reaches the warehouse: wait for the query
      while (!(Files.exists(sleepLog) && Files.readString(sleepLog).contains("START sql table model")
          && activeSleepQueries(62) > 0)) {
        if (!runtime.isAlive() || System.nanoTime() > deadline) {
          fail("the sleep step did not start: " + Files.readString(dir.resolve("stdout.txt")));
        }
        Thread.sleep(200);
      }

      runtime.destroy(); // SIGTERM
      assertThat(runtime.waitFor(30, TimeUnit.SECONDS)).as("runtime exited").isTrue();
    } finally {
      runtime.destroyForcibly();
    }

    String stdout = Files.readString(dir.resolve("stdout.txt"));
    System.out.print(stdout); // into the surefire report, to debug a failure
    assertThat(runtime.exitValue()).as(stdout).isEqualTo(RuntimeEnv.EXIT_TERMINATED);
    RunSummary summary = RunSummary.fromJson(Files.readString(RunVolumeLayout.summary(workspace)));
    assertThat(summary.outcome()).isEqualTo(RunOutcome.Cancelled);
    assertThat(summary.reason()).isEqualTo("Terminated");
    assertThat(summary.steps()).extracting(StepResult::status).containsExactly(
        StepStatus.Succeeded, StepStatus.Succeeded, StepStatus.Succeeded, StepStatus.Cancelled, StepStatus.Skipped);
    assertThat(RunSummary.fromJson(Files.readString(terminationLog)).outcome()).isEqualTo(RunOutcome.Cancelled);
    assertThat(stdout).contains("Received SIGTERM").doesNotContain(TestSupport.WAREHOUSE_PASSWORD);
    assertThat(TestSupport.processesOfRun(runId)).isEmpty();
    // PostgreSQL ends a cancelled query shortly after the cancel request; the query itself would run on for a minute
    long cancelDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (activeSleepQueries(62) > 0 && System.nanoTime() < cancelDeadline) {
      Thread.sleep(200);
    }
    assertThat(activeSleepQueries(62)).as("dbt cancelled its warehouse query").isZero();
  }
}
