package dev.dbtplatform.api.live;

import dev.dbtplatform.api.runs.StepResult;
import dev.dbtplatform.contract.StepNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The steps of a running run, numbered as the runtime numbers them (clone, profile, {@code dbt
 * deps} when the project has packages, then the run's commands): those its pod log shows with
 * their status and log; before them, steps whose output the log no longer has; after them, the
 * steps to come, Queued, named from the run's resolved commands.
 */
final class LiveSteps {
  static final String QUEUED = "Queued";
  static final String OUTPUT_GONE = "[... this step's output is no longer in the pod log ...]\n";

  private LiveSteps() {}

  /** What a step not in the log is: its name and dbt command (null for the clone and the profile). */
  private record Planned(String name, String command) {}

  /**
   * @param total how many steps the log's latest marker says the run has; 0 when it has no marker
   * @param logged the steps the log shows
   * @param commands the run's dbt commands, as resolved
   * @param adapterType the warehouse's adapter, which names the profile step
   */
  static LiveRun of(int total, List<LoggedStep> logged, List<String> commands, String adapterType) {
    Map<Integer, LoggedStep> byIndex = new HashMap<>();
    int lastLogged = 0;
    for (LoggedStep step : logged) {
      byIndex.put(step.index(), step);
      lastLogged = Math.max(lastLogged, step.index());
    }
    int count = Math.max(total > 0 ? total : commands.size() + 2, lastLogged);
    List<StepResult> steps = new ArrayList<>();
    Map<Integer, String> logs = new HashMap<>();
    for (int index = 1; index <= count; index++) {
      Planned planned = planned(index, count, commands, adapterType);
      LoggedStep step = byIndex.get(index);
      if (step != null) {
        steps.add(new StepResult(index, step.name() != null ? step.name() : planned.name(), planned.command(),
            step.status().name(), time(step.startedAt()), time(step.finishedAt()), step.exitCode()));
        logs.put(index, step.log());
      } else if (index < lastLogged) {
        // a later step ran, and the runtime goes on only after a step succeeded
        steps.add(new StepResult(index, planned.name(), planned.command(), "Succeeded", null, null, null));
        logs.put(index, OUTPUT_GONE);
      } else {
        steps.add(new StepResult(index, planned.name(), planned.command(), QUEUED, null, null, null));
      }
    }
    return new LiveRun(steps, logs);
  }

  /** The run's commands are its last steps; the one step between them and the profile is deps. */
  private static Planned planned(int index, int count, List<String> commands, String adapterType) {
    if (index == 1) {
      return new Planned(StepNames.gitClone(), null);
    }
    if (index == 2) {
      return new Planned(StepNames.profile(adapterType), null);
    }
    int fromEnd = count - index;
    String command = fromEnd < commands.size() ? commands.get(commands.size() - 1 - fromEnd) : StepNames.DEPS_COMMAND;
    return new Planned(StepNames.dbt(command), command);
  }

  private static String time(Instant at) {
    return at == null ? null : at.toString();
  }
}
