package dev.dbtplatform.operator.run;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The rules for run steps, the same as the CRD's CEL rule, for when no API server checked it. */
final class StepValidator {
  private StepValidator() {}

  static final int MAX_STEPS = 50;
  private static final Pattern DBT_COMMAND = Pattern.compile("^dbt\\s+[a-z].*", Pattern.DOTALL);

  static List<String> problems(List<String> steps) {
    List<String> problems = new ArrayList<>();
    if (steps == null || steps.isEmpty()) {
      problems.add("spec.steps is empty: list at least one dbt command, like 'dbt build'");
      return problems;
    }
    if (steps.size() > MAX_STEPS) {
      problems.add("spec.steps has " + steps.size() + " commands; at most " + MAX_STEPS + " are allowed");
    }
    for (int i = 0; i < steps.size(); i++) {
      String step = steps.get(i);
      if (step == null || !DBT_COMMAND.matcher(step.strip()).matches()) {
        problems.add("spec.steps[" + i + "] '" + step + "' is not a dbt command: each step starts with 'dbt ', like 'dbt build'");
      }
    }
    return problems;
  }
}
