package dev.dbtplatform.api.live;

import dev.dbtplatform.contract.StepMarkers;
import dev.dbtplatform.contract.StepStatus;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Splits a run pod's log, line by line as it is read, into its steps by the runtime's
 * {@link StepMarkers}. A step's lines are those between its started and finished markers; the
 * runtime's lines outside any step are dropped. Memory stays bounded whatever the log's length:
 * only the newest {@code maxChars} of step output are kept, and for older lines only their count.
 *
 * <p>The log may start in the middle of a step (the kubelet rotated its beginning away): lines
 * before the first marker belong to the step whose finished marker comes first, or to none when a
 * started marker comes first.
 */
final class PodLogSplitter {
  /** More steps than any run has: the markers of a log that claims more are ignored. */
  static final int MAX_STEPS = 1000;
  /** Lines before the first marker, whose step is not known yet. */
  private static final int UNKNOWN = 0;

  private final long maxChars;
  private final Map<Integer, Step> steps = new TreeMap<>();
  private final ArrayDeque<Line> kept = new ArrayDeque<>();
  private long keptChars;
  private int total;
  private boolean markerSeen;
  /** The step whose lines are coming, null between steps. */
  private Integer current;

  /** @param maxChars the most step output kept, in characters (line breaks included) */
  PodLogSplitter(long maxChars) {
    this.maxChars = maxChars;
  }

  /** Takes the next line of the log, without its line break. */
  void accept(String line) {
    Optional<StepMarkers.Marker> marker = StepMarkers.parse(line);
    if (marker.isPresent()) {
      mark(marker.get());
    } else if (current != null) {
      keep(current, line);
    } else if (!markerSeen) {
      keep(UNKNOWN, line);
    }
  }

  /** How many steps the run has, by its latest marker; 0 when the log has none. */
  int total() {
    return total;
  }

  /** The steps the log shows, by index. */
  List<LoggedStep> steps() {
    Map<Integer, StringBuilder> logs = new TreeMap<>();
    for (Line line : kept) {
      logs.computeIfAbsent(line.step, i -> new StringBuilder()).append(line.text).append('\n');
    }
    return steps.values().stream().map(s -> s.toLogged(logs.get(s.index))).toList();
  }

  private void mark(StepMarkers.Marker marker) {
    if (marker.index() < 1 || marker.index() > MAX_STEPS || marker.total() > MAX_STEPS) {
      return;
    }
    total = marker.total();
    Step step = steps.computeIfAbsent(marker.index(), Step::new);
    if (marker instanceof StepMarkers.Started started) {
      if (!markerSeen) {
        retag(UNKNOWN, null); // the runtime's own lines before its first step
      }
      step.started(started);
      current = started.index();
    } else if (marker instanceof StepMarkers.Finished finished) {
      if (!markerSeen) {
        retag(UNKNOWN, finished.index()); // the log starts inside this step
        step.dropped = -1;
      }
      step.finished(finished);
      current = null;
    }
    markerSeen = true;
  }

  private void keep(int step, String text) {
    kept.addLast(new Line(step, text));
    keptChars += text.length() + 1;
    while (keptChars > maxChars && !kept.isEmpty()) {
      Line oldest = kept.removeFirst();
      keptChars -= oldest.text.length() + 1;
      Step owner = steps.get(oldest.step);
      if (owner != null && owner.dropped >= 0) {
        owner.dropped++;
      }
    }
  }

  /** Gives the lines of step {@code from} to step {@code to}, or drops them when {@code to} is null. */
  private void retag(int from, Integer to) {
    for (Iterator<Line> it = kept.iterator(); it.hasNext(); ) {
      Line line = it.next();
      if (line.step == from) {
        if (to == null) {
          it.remove();
          keptChars -= line.text.length() + 1;
        } else {
          line.step = to;
        }
      }
    }
  }

  private static final class Line {
    int step;
    final String text;

    Line(int step, String text) {
      this.step = step;
      this.text = text;
    }
  }

  private static final class Step {
    final int index;
    String name;
    Instant startedAt;
    Instant finishedAt;
    StepStatus status = StepStatus.Running;
    Integer exitCode;
    /** Lines dropped to keep memory bounded; -1 when the log starts inside the step (how much is missing is unknown). */
    long dropped;

    Step(int index) {
      this.index = index;
    }

    void started(StepMarkers.Started marker) {
      name = marker.name();
      startedAt = marker.at();
      status = StepStatus.Running;
      finishedAt = null;
      exitCode = null;
    }

    void finished(StepMarkers.Finished marker) {
      finishedAt = marker.at();
      status = marker.status();
      exitCode = marker.exitCode();
    }

    LoggedStep toLogged(StringBuilder lines) {
      String note = dropped > 0 ? "[... " + dropped + (dropped == 1 ? " earlier line" : " earlier lines") + " not shown ...]\n"
          : dropped < 0 ? "[... the start of this step's output is no longer in the pod log ...]\n" : "";
      return new LoggedStep(index, name, startedAt, finishedAt, status, exitCode,
          note + (lines == null ? "" : lines.toString()));
    }
  }
}
