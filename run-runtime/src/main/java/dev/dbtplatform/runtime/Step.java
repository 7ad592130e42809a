package dev.dbtplatform.runtime;

import dev.dbtplatform.contract.StepNames;
import dev.dbtplatform.contract.StepResult;
import dev.dbtplatform.contract.StepStatus;
import java.time.Instant;

/** One step of the run while it runs; {@link RunState} guards it. */
final class Step {
  enum Kind { CLONE, PROFILE, DBT }

  final Kind kind;
  final String name;
  /** Null for the clone and profile steps. */
  final StepCommand command;
  /** False for dbt Cloud's checkbox steps (source freshness, docs): their failure does not fail the run. */
  final boolean failsRun;
  int index;
  StepStatus status = StepStatus.Pending;
  Instant startedAt;
  Instant finishedAt;
  Integer exitCode;

  private Step(Kind kind, String name, StepCommand command, boolean failsRun) {
    this.kind = kind;
    this.name = name;
    this.command = command;
    this.failsRun = failsRun;
  }

  static Step gitClone() {
    return new Step(Kind.CLONE, StepNames.gitClone(), null, true);
  }

  static Step profile(String adapterType) {
    return new Step(Kind.PROFILE, StepNames.profile(adapterType), null, true);
  }

  static Step dbt(StepCommand command) {
    return new Step(Kind.DBT, StepNames.dbt(command.command()), command, true);
  }

  /** A checkbox step: dbt Cloud goes on after it fails and the run can still succeed. */
  static Step lenientDbt(StepCommand command) {
    return new Step(Kind.DBT, StepNames.dbt(command.command()), command, false);
  }

  StepResult toResult() {
    return new StepResult(index, name, command == null ? null : command.command(), status, startedAt, finishedAt, exitCode);
  }
}
