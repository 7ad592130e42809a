package dev.dbtplatform.runtime;

import static dev.dbtplatform.runtime.TestSupport.config;
import static dev.dbtplatform.runtime.TestSupport.newRunId;
import static dev.dbtplatform.runtime.TestSupport.withJobOptions;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dbtplatform.contract.RunOutcome;
import dev.dbtplatform.contract.RunSummary;
import dev.dbtplatform.contract.RunVolumeLayout;
import dev.dbtplatform.contract.RuntimeEnv;
import dev.dbtplatform.contract.StepResult;
import dev.dbtplatform.contract.StepStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * dbt Cloud's job options in whole runs against real git, dbt and PostgreSQL: the "run source
 * freshness" and "generate docs" checkbox steps, and deferral to another run's manifest.
 */
class JobOptionsRunTest extends WarehouseRunTest {
  @Test
  void staleSourcesDoNotFailTheRunAndDocsComeLast() throws Exception {
    var run = new TestSupport.InProcessRun(dir).run(
        withJobOptions(config(newRunId(), repo.url(), null, 0, List.of("dbt seed", "dbt build")), true, true, null).toJson(),
        TestSupport.writeWarehouseDir(dir.resolve("warehouse"), postgres, "checkboxes"), null);

    RunSummary summary = run.summary();
    assertThat(run.exitCode).as(run.stdout()).isEqualTo(RuntimeEnv.EXIT_SUCCEEDED);
    assertThat(summary.outcome()).isEqualTo(RunOutcome.Succeeded);
    assertThat(summary.steps()).extracting(StepResult::command).containsExactly(
        null, null, "dbt deps", "dbt source freshness", "dbt seed", "dbt build", "dbt docs generate");
    // The sample's raw_orders is years old (and missing before the seed): freshness fails, the run goes on.
    assertThat(summary.steps()).extracting(StepResult::status).containsExactly(
        StepStatus.Succeeded, StepStatus.Succeeded, StepStatus.Succeeded, StepStatus.Failed,
        StepStatus.Succeeded, StepStatus.Succeeded, StepStatus.Succeeded);
    assertThat(summary.steps().get(3).exitCode()).isNotZero();
    assertThat(summary.message()).contains("The run succeeded").contains("step 4 (Invoke dbt with `dbt source freshness`)")
        .contains("failed without failing the run");
    assertThat(run.stdout()).contains("does not fail the run");
    assertThat(RunVolumeLayout.stepArtifacts(run.workspace, 4).resolve("sources.json")).exists();
    assertThat(RunVolumeLayout.stepArtifacts(run.workspace, 7).resolve("catalog.json")).exists();
  }

  @Test
  void docsAreSkippedWhenAListedStepFails() throws Exception {
    var run = new TestSupport.InProcessRun(dir).run(
        withJobOptions(config(newRunId(), repo.url(), null, 0,
            List.of("dbt run --vars '{\"include_broken\": true}'")), false, true, null).toJson(),
        TestSupport.writeWarehouseDir(dir.resolve("warehouse"), postgres, "docs_skipped"), null);

    RunSummary summary = run.summary();
    assertThat(run.exitCode).as(run.stdout()).isEqualTo(RuntimeEnv.EXIT_STEP_FAILED);
    assertThat(summary.outcome()).isEqualTo(RunOutcome.Failed);
    assertThat(summary.steps()).extracting(StepResult::command).endsWith("dbt run --vars '{\"include_broken\": true}'",
        "dbt docs generate");
    assertThat(summary.steps()).extracting(StepResult::status).endsWith(StepStatus.Failed, StepStatus.Skipped);
  }

  @Test
  void deferringRunComparesAgainstTheFetchedManifest() throws Exception {
    // The state to defer to: a production run's manifest.
    Path production = dir.resolve("production");
    var prod = new TestSupport.InProcessRun(production).run(
        config(newRunId(), repo.url(), null, 0, List.of("dbt seed", "dbt build")).toJson(),
        TestSupport.writeWarehouseDir(production.resolve("warehouse"), postgres, "deferred_prod"), null);
    assertThat(prod.exitCode).as(prod.stdout()).isEqualTo(RuntimeEnv.EXIT_SUCCEEDED);
    Path manifest = RunVolumeLayout.stepArtifacts(prod.workspace, 5).resolve("manifest.json");

    // What the pod's init container leaves on the volume.
    Path ci = dir.resolve("ci");
    Path ciWorkspace = ci.resolve("workspace");
    Files.createDirectories(RunVolumeLayout.deferredStateDir(ciWorkspace));
    Files.copy(manifest, RunVolumeLayout.deferredManifest(ciWorkspace));
    Files.writeString(RunVolumeLayout.deferredStateNote(ciWorkspace), "fetched manifest.json of s3://b/prod/steps/5\n");

    var run = new TestSupport.InProcessRun(ci).run(
        withJobOptions(config(newRunId(), repo.url(), null, 0,
            List.of("dbt run --select orders", "dbt deps")), false, false, "the production run").toJson(),
        TestSupport.writeWarehouseDir(ci.resolve("warehouse"), postgres, "deferred_ci"), null);

    assertThat(run.exitCode).as(run.stdout()).isEqualTo(RuntimeEnv.EXIT_SUCCEEDED);
    assertThat(run.log(2)).contains("Deferring to the production run: dbt commands run with --defer --state")
        .contains("fetched manifest.json of s3://b/prod/steps/5");
    assertThat(run.log(4)).contains("With the deferred state: dbt run --select orders --defer --state "
        + RunVolumeLayout.deferredStateDir(ciWorkspace));
    // The CI schema has none of orders' parents: only deferral lets it read production's.
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(TestSupport.WAREHOUSE_DB),
        TestSupport.WAREHOUSE_USER, TestSupport.WAREHOUSE_PASSWORD);
        ResultSet rs = c.createStatement().executeQuery("select count(*) from deferred_ci.orders")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(30);
    }
    // dbt deps reads no state: it runs as listed.
    assertThat(run.log(5)).doesNotContain("With the deferred state");
  }

  @Test
  void withoutAManifestTheRunGoesOnWithoutDeferral() throws Exception {
    Path workspace = dir.resolve("workspace");
    Files.createDirectories(RunVolumeLayout.deferredStateDir(workspace));
    Files.writeString(RunVolumeLayout.deferredStateNote(workspace), "no manifest.json under s3://b/prod/\n");

    var run = new TestSupport.InProcessRun(dir).run(
        withJobOptions(config(newRunId(), repo.url(), null, 0, List.of("dbt parse")), false, false,
            "DbtJob 'nightly', which has no successful run").toJson(),
        TestSupport.writeWarehouseDir(dir.resolve("warehouse"), postgres, "no_state"), null);

    assertThat(run.exitCode).as(run.stdout()).isEqualTo(RuntimeEnv.EXIT_SUCCEEDED);
    assertThat(run.log(2)).contains("No state to defer to (DbtJob 'nightly', which has no successful run; "
        + "no manifest.json under s3://b/prod/): dbt commands run without --defer");
    assertThat(run.log(4)).doesNotContain("With the deferred state");
  }
}
