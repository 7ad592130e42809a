package dev.dbtplatform.contract;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines the run runtime prints to stdout when a step starts and when it ends. The pod log is
 * every step's output one after the other; these lines are what a reader of the log (the API,
 * while the run is going) splits it by. They stay readable in {@code kubectl logs}:
 *
 * <pre>
 * ::dbt-platform:: step 4/5 started at 2025-03-01T12:00:01.250Z: Invoke dbt with `dbt seed`
 * ::dbt-platform:: step 4/5 finished at 2025-03-01T12:00:09.120Z: Failed (exit code 1)
 * </pre>
 *
 * <p>"4/5" is the step's index and how many steps the run has at that moment (the clone may add a
 * {@code dbt deps} step). A step that never ran (skipped, or stopped before it started) gets only
 * a finished line. Markers go to stdout only, never into the step log files the log flush uploads.
 * A marker is recognised only as a whole line starting with {@link #PREFIX}, which dbt does not
 * print.
 */
public final class StepMarkers {
  private StepMarkers() {}

  public static final String PREFIX = "::dbt-platform:: ";

  private static final Pattern STARTED = Pattern.compile(
      Pattern.quote(PREFIX) + "step (\\d{1,6})/(\\d{1,6}) started at (\\S+): (.*)");
  private static final Pattern FINISHED = Pattern.compile(
      Pattern.quote(PREFIX) + "step (\\d{1,6})/(\\d{1,6}) finished at (\\S+): ([A-Za-z]+)(?: \\(exit code (-?\\d{1,10})\\))?");

  /** A marker read back from a log line. */
  public sealed interface Marker {
    /** 1-based, as in {@link StepResult#index()}. */
    int index();

    /** How many steps the run had when the line was printed. */
    int total();

    Instant at();
  }

  public record Started(int index, int total, Instant at, String name) implements Marker {}

  /** @param exitCode null when no process ran or it was stopped without one */
  public record Finished(int index, int total, Instant at, StepStatus status, Integer exitCode) implements Marker {}

  /** @param name the step's name; line breaks in it become spaces so that the marker stays one line */
  public static String started(int index, int total, String name, Instant at) {
    return PREFIX + "step " + index + "/" + total + " started at " + time(at) + ": " + oneLine(name);
  }

  public static String finished(int index, int total, StepStatus status, Integer exitCode, Instant at) {
    return PREFIX + "step " + index + "/" + total + " finished at " + time(at) + ": " + status
        + (exitCode == null ? "" : " (exit code " + exitCode + ")");
  }

  /** The marker on this line, or empty for any other line (including a marker that is malformed). */
  public static Optional<Marker> parse(String line) {
    if (line == null || !line.startsWith(PREFIX)) {
      return Optional.empty();
    }
    try {
      Matcher started = STARTED.matcher(line);
      if (started.matches()) {
        return Optional.of(new Started(Integer.parseInt(started.group(1)), Integer.parseInt(started.group(2)),
            Instant.parse(started.group(3)), started.group(4)));
      }
      Matcher finished = FINISHED.matcher(line);
      if (finished.matches()) {
        return Optional.of(new Finished(Integer.parseInt(finished.group(1)), Integer.parseInt(finished.group(2)),
            Instant.parse(finished.group(3)), StepStatus.valueOf(finished.group(4)),
            finished.group(5) == null ? null : Integer.valueOf(finished.group(5))));
      }
    } catch (DateTimeParseException | IllegalArgumentException e) {
      // an unknown status, a bad time or an exit code out of range: not one of ours
    }
    return Optional.empty();
  }

  private static String time(Instant at) {
    return at.truncatedTo(ChronoUnit.MILLIS).toString();
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.replace('\r', ' ').replace('\n', ' ');
  }
}
