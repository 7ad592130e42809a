package dev.dbtplatform.bench.prep;

/**
 * The moments between an API trigger and dbt's first line that can be seen from outside the run,
 * in the order they happen. Each is observed either by this benchmark (when it saw an event or a
 * line) or read from a step marker the run runtime prints with its own millisecond timestamp.
 */
enum PrepPhase {
  API_ANSWERED("API answered the trigger", Source.SEEN),
  RUN_CREATED("DbtRun created", Source.SEEN),
  POD_CREATED("Pod created", Source.SEEN),
  POD_RUNNING("Pod Running (process started)", Source.SEEN),
  RUNTIME_FIRST_LINE("run runtime's first line (its JVM is up)", Source.SEEN),
  CLONE_STARTED("git clone started", Source.MARKER),
  CLONE_DONE("git clone done", Source.MARKER),
  PROFILE_WRITTEN("profile written", Source.MARKER),
  DBT_STARTED("dbt step started", Source.MARKER),
  DBT_FIRST_LINE("dbt's first line", Source.SEEN);

  /** How a moment is known: seen by the benchmark, or stamped by the run runtime in its log. */
  enum Source { SEEN, MARKER }

  final String label;
  final Source source;

  PrepPhase(String label, Source source) {
    this.label = label;
    this.source = source;
  }

  /** The figure's name in the section's raw figures. */
  String key() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
