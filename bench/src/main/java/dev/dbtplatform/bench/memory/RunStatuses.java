package dev.dbtplatform.bench.memory;

import dev.dbtplatform.bench.operator.BenchRuns;
import dev.dbtplatform.bench.operator.RunSummaries;
import dev.dbtplatform.contract.ObjectKeys;
import dev.dbtplatform.contract.RunSummary;
import dev.dbtplatform.contract.StepResult;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunStatus;
import dev.dbtplatform.crd.RunLogs;
import dev.dbtplatform.crd.RunPhase;
import dev.dbtplatform.crd.RunStepStatus;
import dev.dbtplatform.operator.OperatorConfig;
import dev.dbtplatform.operator.resources.ResourceNames;
import dev.dbtplatform.operator.run.RunConditions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;

/**
 * The status the operator leaves on a run, written by hand to match what it writes itself: a run
 * that ended (steps, timings, logs flushed, its pod and volume gone) or one that is Running. It
 * has to match closely, or the operator's first pass would rewrite every run instead of only
 * reading it.
 */
final class RunStatuses {
  private RunStatuses() {}

  /** Ended {@code ago}: Succeeded, or Failed at its last step for every tenth run. */
  static DbtRunStatus finished(DbtRun stored, int index, Instant created, OperatorConfig config) {
    boolean failed = index % 10 == 9;
    Instant podCreated = created.plusMillis(300);
    Instant started = podCreated.plusSeconds(4);
    Instant finished = started.plusSeconds(95);
    DbtRunStatus s = started(stored, created, podCreated, started, config);
    stored.setStatus(s);
    RunSummary summary = RunSummaries.succeeded(started, finished);
    s.steps = new ArrayList<>();
    for (StepResult r : summary.steps()) {
      RunStepStatus step = new RunStepStatus();
      step.index = r.index();
      step.name = r.name();
      step.command = r.command();
      step.status = failed && r.index() == 4 ? "Failed" : r.status().name();
      step.startedAt = r.startedAt().toString();
      step.finishedAt = r.finishedAt().toString();
      step.exitCode = failed && r.index() == 4 ? Integer.valueOf(1) : r.exitCode();
      s.steps.add(step);
    }
    s.gitSha = summary.gitSha();
    s.gitBranch = summary.gitBranch();
    s.phase = failed ? RunPhase.Failed : RunPhase.Succeeded;
    s.reason = failed ? "StepFailed" : "Succeeded";
    s.message = failed ? "step 4 (dbt build) failed with exit code 1" : "all 4 steps succeeded";
    s.finishedAt = finished.toString();
    s.runSeconds = Duration.between(started, finished).toMillis() / 1000.0;
    s.duration = "1m39s";
    RunConditions.set(stored, RunConditions.RUNNING, RunConditions.FALSE, s.reason, "dbt is no longer running", finished);
    RunConditions.set(stored, RunConditions.COMPLETE, RunConditions.TRUE, s.reason, s.message, finished);
    if (failed) {
      RunConditions.set(stored, RunConditions.FAILED, RunConditions.TRUE, s.reason, s.message, finished);
    }
    RunLogs logs = new RunLogs();
    logs.bucket = config.objectStore().bucket();
    logs.prefix = ObjectKeys.runPrefix(config.objectStore().keyPrefix(), BenchRuns.ACCOUNT,
        stored.getMetadata().getNamespace(), stored.getMetadata().getName(), stored.getMetadata().getUid());
    logs.location = "s3://" + logs.bucket + "/" + logs.prefix;
    logs.objects = 9;
    logs.bytes = 1_843_200L;
    logs.attempts = 1;
    logs.flushedAt = finished.plusSeconds(6).toString();
    s.logs = logs;
    for (RunStepStatus step : s.steps) {
      step.logLocation = "s3://" + logs.bucket + "/" + ObjectKeys.stepLog(logs.prefix, step.index);
      if (step.command != null) {
        step.artifactsLocation = "s3://" + logs.bucket + "/" + ObjectKeys.stepArtifactsPrefix(logs.prefix, step.index);
      }
    }
    RunConditions.set(stored, RunConditions.LOGS_FLUSHED, RunConditions.TRUE, "Flushed",
        "logs and artifacts are at " + logs.location, finished.plusSeconds(6));
    return s;
  }

  /** Running in the given pod since {@code started}. */
  static DbtRunStatus running(DbtRun stored, String podUid, Instant created, Instant started, OperatorConfig config) {
    DbtRunStatus s = started(stored, created, created.plusMillis(300), started, config);
    s.podUid = podUid;
    return s;
  }

  private static DbtRunStatus started(DbtRun stored, Instant created, Instant podCreated, Instant started,
                                      OperatorConfig config) {
    DbtRunStatus s = new DbtRunStatus();
    stored.setStatus(s);
    String name = stored.getMetadata().getName();
    s.observedGeneration = stored.getMetadata().getGeneration();
    s.resolved = BenchRuns.resolved(stored, config);
    s.resolved.resolvedAt = created.toString();
    s.podName = ResourceNames.runPod(name);
    s.podUid = java.util.UUID.randomUUID().toString();
    s.volumeName = ResourceNames.runVolume(name);
    s.podCreatedAt = podCreated.toString();
    s.startedAt = started.toString();
    s.queuedSeconds = Duration.between(created, podCreated).toMillis() / 1000.0;
    s.waitSeconds = 0.0;
    s.prepSeconds = Duration.between(podCreated, started).toMillis() / 1000.0;
    s.phase = RunPhase.Running;
    s.message = "dbt is running";
    RunConditions.set(stored, RunConditions.RESOLVED, RunConditions.TRUE, "Resolved",
        "resolved against DbtEnvironment prod and DbtProject shop", created);
    RunConditions.set(stored, RunConditions.RUNNING, RunConditions.TRUE, "PodRunning",
        "dbt is running in pod " + s.podName, started);
    return s;
  }
}
