package dev.dbtplatform.runtime;

import static dev.dbtplatform.runtime.TestSupport.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.dbtplatform.contract.RunOutcome;
import dev.dbtplatform.contract.RunSummary;
import dev.dbtplatform.contract.RunVolumeLayout;
import dev.dbtplatform.contract.RuntimeEnv;
import dev.dbtplatform.contract.StepResult;
import dev.dbtplatform.contract.StepStatus;
import dev.dbtplatform.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RunMain in its own JVM, stopped with SIGTERM as Kubernetes stops a pod. */
class RunMainSigtermTest {
  @TempDir
  static Path shared;
  static EmbeddedPostgres postgres;
  static TestSupport.GitRepo repo;

  @BeforeAll
  static void setUp() throws Exception {
    TestSupport.dbtExecutable();
    postgres = TestSupport.startWarehouse();
    repo = TestSupport.GitRepo.create(shared.resolve("repo"));
  }

  @AfterAll
  static void tearDown() {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void sigtermCancelsTheRunAndStopsDbt(@TempDir Path dir) throws Exception {
    String runId = TestSupport.newRunId();
    Path workspace = dir.resolve("workspace");
    Path terminationLog = dir.resolve("termination/log");
    Path warehouse = TestSupport.writeWarehouseDir(dir.resolve("warehouse"), postgres, "sigterm");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), RunMain.class.getName())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("stdout.txt").toFile());
    builder.environment().put(RuntimeEnv.RUN_CONFIG,
        config(runId, repo.url(), null, 0, List.of("dbt run-operation sleep --args '{seconds: 60}'", "dbt build")).toJson());
    builder.environment().put(RuntimeEnv.WORKSPACE, workspace.toString());
    builder.environment().put(RuntimeEnv.WAREHOUSE_DIR, warehouse.toString());
    builder.environment().put(RuntimeEnv.GIT_CREDENTIALS_DIR, dir.resolve("none").toString());
    builder.environment().put(RuntimeEnv.TERMINATION_LOG, terminationLog.toString());
    builder.environment().put(RuntimeEnv.DBT_EXECUTABLE, TestSupport.dbtExecutable());
    Process runtime = builder.start();
    try {
      Path sleepLog = RunVolumeLayout.stepLog(workspace, 4);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!(Files.exists(sleepLog) && Files.readString(sleepLog).contains("Sleeping 60 seconds"))) {
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
  }
}
