package dev.dbtplatform.operator.run;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The rules for run steps, the same as the CRD's CEL rule, for when no API server checked it. */
final class StepValidator {
  private StepValidator() {}

  static final int MAX_STEPS = 50;
  private static final Pattern DBT_COMMAND = Pattern.compile("^dbt\\s+[a-z].*", Pattern.DOTALL);

  /** What is wrong with the steps; field names where they come from (a run's or a job's spec) in each message. */
  static List<String> problems(List<String> steps, String field) {
    List<String> problems = new ArrayList<>();
    if (steps == null || steps.isEmpty()) {
      problems.add(field + " is empty: list at least one dbt command, like 'dbt build'");
      return problems;
    }
    if (steps.size() > MAX_STEPS) {
      problems.add(field + " has " + steps.size() + " commands; at most " + MAX_STEPS + " are allowed");
    }
    for (int i = 0; i < steps.size(); i++) {
      String step = steps.get(i);
      if (step == null || !DBT_COMMAND.matcher(step.strip()).matches()) {
        problems.add(field + "[" + i + "] '" + step + "' is not a dbt command: each step starts with 'dbt ', like 'dbt build'");
      }
    }
    return problems;
  }
}
