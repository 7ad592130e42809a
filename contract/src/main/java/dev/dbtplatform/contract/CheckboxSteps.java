package dev.dbtplatform.contract;

import java.util.ArrayList;
import java.util.List;

/**
 * dbt Cloud's two job checkboxes as run steps. "Run source freshness" runs
 * {@value #SOURCE_FRESHNESS} before the listed steps and "generate docs on run" runs
 * {@value #DOCS_GENERATE} after them; neither one's failure fails the run. The same commands
 * listed as ordinary steps fail the run like any other step.
 */
public final class CheckboxSteps {
  private CheckboxSteps() {}

  public static final String SOURCE_FRESHNESS = "dbt source freshness";
  public static final String DOCS_GENERATE = "dbt docs generate";

  /** The dbt commands a run executes, in order: freshness first, the listed steps, docs last. */
  public static List<String> commands(List<String> steps, boolean sourceFreshness, boolean generateDocs) {
    List<String> commands = new ArrayList<>();
    if (sourceFreshness) {
      commands.add(SOURCE_FRESHNESS);
    }
    commands.addAll(steps == null ? List.of() : steps);
    if (generateDocs) {
      commands.add(DOCS_GENERATE);
    }
    return commands;
  }
}
