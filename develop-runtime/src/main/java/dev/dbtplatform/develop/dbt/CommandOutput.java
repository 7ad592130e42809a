package dev.dbtplatform.develop.dbt;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The output of a running command, kept in memory for readers that come and go (a browser that
 * reloads, a proxy that retries). Lines are numbered from 0 for the life of the command, so a
 * reader asks for what follows the last line it saw. The oldest lines go once there are too many.
 */
public final class CommandOutput {
  static final int MAX_LINES = 20_000;
  /** dbt's text lines are short; a longer one is cut so one line cannot eat the memory. */
  static final int MAX_LINE_CHARS = 16 * 1024;

  /**
   * @param from the number of the first line in {@code lines}
   * @param next the number to ask for next time
   * @param firstAvailable the oldest line still kept
   * @param ended whether the command has ended, so no line follows
   */
  public record Chunk(long from, long next, long firstAvailable, List<String> lines, boolean ended) {}

  private final ArrayDeque<String> lines = new ArrayDeque<>();
  private long dropped;
  private boolean ended;

  public synchronized void add(String line) {
    if (ended) {
      return;
    }
    lines.addLast(line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) + " [line cut]" : line);
    if (lines.size() > MAX_LINES) {
      lines.removeFirst();
      dropped++;
    }
    notifyAll();
  }

  public synchronized void end() {
    ended = true;
    notifyAll();
  }

  public synchronized long lineCount() {
    return dropped + lines.size();
  }

  /** The lines from {@code since} on (at most {@code max}), at once. */
  public synchronized Chunk read(long since, int max) {
    long total = dropped + lines.size();
    long from = Math.max(Math.max(since, 0), dropped);
    List<String> out = new ArrayList<>();
    int index = 0;
    for (String line : lines) {
      long number = dropped + index++;
      if (number >= from && out.size() < max) {
        out.add(line);
      }
    }
    long next = Math.min(total, from + out.size());
    return new Chunk(from, next, dropped, List.copyOf(out), ended && next >= total);
  }

  /** As {@link #read}, but waits up to {@code wait} for a line after {@code since} or the end. */
  public synchronized Chunk await(long since, int max, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!ended && dropped + lines.size() <= since) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return read(since, max);
  }
}
