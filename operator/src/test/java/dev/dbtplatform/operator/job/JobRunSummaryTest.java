package dev.dbtplatform.operator.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbtplatform.crd.DbtJobStatus;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunSpec;
import dev.dbtplatform.crd.DbtRunStatus;
import dev.dbtplatform.crd.RunLogs;
import dev.dbtplatform.crd.RunPhase;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The latest successful run a job records for the jobs that defer to it. */
class JobRunSummaryTest {
  @Test
  void recordsTheNewestSuccessOnlyOnceItsArtifactsAreSaved() {
    DbtJobStatus status = new DbtJobStatus();
    DbtRun older = run("nightly-1", RunPhase.Succeeded, "2026-11-23T02:05:00Z", true);
    DbtRun newerNotSaved = run("nightly-2", RunPhase.Succeeded, "2026-11-24T02:05:00Z", false);
    DbtRun newerFailed = run("nightly-3", RunPhase.Failed, "2026-11-24T03:05:00Z", true);

    JobRunSummary.fill(status, List.of(older, newerNotSaved, newerFailed));

    assertThat(status.lastSuccessfulRun.name).isEqualTo("nightly-1");
    assertThat(status.lastSuccessfulRun.finishedAt).isEqualTo("2026-11-23T02:05:00Z");
    assertThat(status.lastSuccessfulRun.bucket).isEqualTo("logs");
    assertThat(status.lastSuccessfulRun.prefix).isEqualTo("runs/nightly-1/");
    assertThat(status.lastCompletedRun).isEqualTo("nightly-3");

    newerNotSaved.getStatus().logs = saved("nightly-2");
    JobRunSummary.fill(status, List.of(older, newerNotSaved, newerFailed));
    assertThat(status.lastSuccessfulRun.name).isEqualTo("nightly-2");
  }

  @Test
  void keepsTheRecordedSuccessWhenItsRunIsCleanedUp() {
    DbtJobStatus status = new DbtJobStatus();
    JobRunSummary.fill(status, List.of(run("nightly-1", RunPhase.Succeeded, "2026-11-23T02:05:00Z", true)));

    JobRunSummary.fill(status, List.of());
    assertThat(status.lastSuccessfulRun.name).isEqualTo("nightly-1");

    // an older run seen again (a late event) does not replace a newer record
    JobRunSummary.fill(status, List.of(run("nightly-0", RunPhase.Succeeded, "2026-11-22T02:05:00Z", true)));
    assertThat(status.lastSuccessfulRun.name).isEqualTo("nightly-1");
  }

  private static DbtRun run(String name, RunPhase phase, String finishedAt, boolean saved) {
    DbtRun run = new DbtRun("default", name, new DbtRunSpec());
    DbtRunStatus status = new DbtRunStatus();
    status.phase = phase;
    status.finishedAt = finishedAt;
    status.logs = saved ? saved(name) : null;
    run.setStatus(status);
    return run;
  }

  private static RunLogs saved(String name) {
    RunLogs logs = new RunLogs();
    logs.bucket = "logs";
    logs.prefix = "runs/" + name + "/";
    logs.flushedAt = "2026-11-24T04:00:00Z";
    return logs;
  }
}
