package dev.dbtplatform.api.db;

import dev.dbtplatform.api.runs.StepResult;
import java.util.AbstractList;
import java.util.List;
import java.util.function.Function;

/**
 * A run's steps as history stores them (JSON), read on first use. Most answers never look at
 * them (a run without {@code include_related=run_steps} shows none), and reading the JSON was
 * one of the largest costs of a polled run lookup.
 */
final class StoredSteps extends AbstractList<StepResult> {
  private final String json;
  private final Function<String, List<StepResult>> reader;
  private List<StepResult> steps;

  StoredSteps(String json, Function<String, List<StepResult>> reader) {
    this.json = json;
    this.reader = reader;
  }

  private List<StepResult> steps() {
    List<StepResult> read = steps;
    if (read == null) {
      // unmodifiable lists have final fields, so another thread sees a whole one or reads again
      read = List.copyOf(reader.apply(json));
      steps = read;
    }
    return read;
  }

  @Override
  public StepResult get(int index) {
    return steps().get(index);
  }

  @Override
  public int size() {
    return steps().size();
  }
}
