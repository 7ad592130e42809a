package dev.dbtplatform.api.live;

import dev.dbtplatform.api.runs.StepResult;
import java.util.List;
import java.util.Map;

/**
 * A run in progress as its pod's log shows it: every step with its status so far, and the log of
 * each step that has one.
 */
public record LiveRun(List<StepResult> steps, Map<Integer, String> logs) {
  public LiveRun {
    steps = List.copyOf(steps);
    logs = Map.copyOf(logs);
  }

  /** Step {@code index}'s log so far, null when it has none (it has not started). */
  public String log(int index) {
    return logs.get(index);
  }
}
