package dev.dbtplatform.contract;

import java.time.Instant;

/**
 * One step of a run. Steps are numbered from 1 in execution order, as dbt Cloud does: the clone,
 * the profile, {@code dbt deps} when the project has packages, then each command of the run.
 *
 * @param index 1-based position
 * @param name human-readable, for example "Invoke dbt with `dbt build`"
 * @param command the dbt command, null for the steps that are not dbt commands
 * @param status how the step ended
 * @param startedAt null when the step never started
 * @param finishedAt null when the step never finished
 * @param exitCode the process exit code, null when no process ran
 */
public record StepResult(
    int index,
    String name,
    String command,
    StepStatus status,
    Instant startedAt,
    Instant finishedAt,
    Integer exitCode) {

  public StepResult withoutNames() {
    return new StepResult(index, null, null, status, startedAt, finishedAt, exitCode);
  }
}
