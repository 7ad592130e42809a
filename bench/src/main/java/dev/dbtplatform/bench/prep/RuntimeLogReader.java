package dev.dbtplatform.bench.prep;

import dev.dbtplatform.contract.StepMarkers;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a run pod's log line by line and picks out the moments of the prep: the runtime's first
 * line, its step markers up to the first dbt step, and the first line dbt itself printed in that
 * step (the runtime's own header lines of the step are not dbt's).
 */
final class RuntimeLogReader {
  /** A dbt step's name, as the runtime gives it: Invoke dbt with `dbt deps`. */
  private static final Pattern DBT_STEP = Pattern.compile("Invoke dbt with `(dbt[^`]*)`");
  /** The runtime's lines in a step before dbt's output: its header and the deferral note. */
  private static final Pattern RUNTIME_LINE =
      Pattern.compile("^\\d{2}:\\d{2}:\\d{2}  (Step \\d+: |With the deferred state: )");

  private final Map<PrepPhase, Instant> moments = new EnumMap<>(PrepPhase.class);
  private String dbtCommand;
  private String dbtFirstLine;

  void accept(PodLogTail.Line line) {
    if (dbtFirstLine != null) {
      return;
    }
    moments.putIfAbsent(PrepPhase.RUNTIME_FIRST_LINE, line.seenAt());
    var marker = StepMarkers.parse(line.text());
    if (marker.isPresent()) {
      onMarker(marker.get());
      return;
    }
    if (dbtCommand != null && !RUNTIME_LINE.matcher(line.text()).find()) {
      dbtFirstLine = line.text();
      moments.put(PrepPhase.DBT_FIRST_LINE, line.seenAt());
    }
  }

  private void onMarker(StepMarkers.Marker marker) {
    if (marker instanceof StepMarkers.Started started) {
      if (started.index() == 1) {
        moments.putIfAbsent(PrepPhase.CLONE_STARTED, started.at());
      }
      Matcher dbt = DBT_STEP.matcher(started.name());
      if (dbtCommand == null && dbt.find()) {
        dbtCommand = dbt.group(1);
        moments.put(PrepPhase.DBT_STARTED, started.at());
      }
    } else if (marker.index() == 1) {
      moments.putIfAbsent(PrepPhase.CLONE_DONE, marker.at());
    } else if (marker.index() == 2) {
      moments.putIfAbsent(PrepPhase.PROFILE_WRITTEN, marker.at());
    }
  }

  boolean sawDbtFirstLine() {
    return dbtFirstLine != null;
  }

  Map<PrepPhase, Instant> moments() {
    return moments;
  }

  String dbtCommand() {
    return dbtCommand;
  }

  String dbtFirstLine() {
    return dbtFirstLine;
  }
}
