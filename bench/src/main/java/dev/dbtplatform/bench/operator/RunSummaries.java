package dev.dbtplatform.bench.operator;

import dev.dbtplatform.contract.RunOutcome;
import dev.dbtplatform.contract.RunSummary;
import dev.dbtplatform.contract.StepResult;
import dev.dbtplatform.contract.StepStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The summary the run runtime writes for a run of {@link BenchRuns#STEPS}, every step succeeded. */
public final class RunSummaries {
  private RunSummaries() {}

  public static RunSummary succeeded(Instant started, Instant finished) {
    Duration quarter = Duration.between(started, finished).dividedBy(4);
    Instant t1 = started.plus(quarter), t2 = t1.plus(quarter), t3 = t2.plus(quarter);
    return new RunSummary(RunOutcome.Succeeded, null, null, "4f2a9c1d7e0b3a5c8d6e2f1a0b9c8d7e6f5a4b3c", "main",
        started, finished, List.of(
            new StepResult(1, "Clone git repository", null, StepStatus.Succeeded, started, t1, null),
            new StepResult(2, "Create profile from connection postgres", null, StepStatus.Succeeded, t1, t2, null),
            new StepResult(3, "Invoke dbt with `" + BenchRuns.STEPS.get(0) + "`", BenchRuns.STEPS.get(0),
                StepStatus.Succeeded, t2, t3, 0),
            new StepResult(4, "Invoke dbt with `" + BenchRuns.STEPS.get(1) + "`", BenchRuns.STEPS.get(1),
                StepStatus.Succeeded, t3, finished, 0)));
  }
}
