package dev.dbtplatform.develop.dbt;

import java.time.Instant;
import java.util.List;

/** A dbt command started through {@code POST /dbt/commands}: what it is, how it is doing, its output. */
public final class DbtCommand {
  public enum State {
    RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * The command as the API shows it.
   *
   * @param args dbt's arguments (without the executable)
   * @param state running, succeeded, failed or cancelled
   * @param exitCode dbt's exit code once it ended
   * @param cancelRequested whether a cancel was asked for (the state turns cancelled when dbt has stopped)
   * @param lineCount how many output lines it wrote so far
   */
  public record View(String id, String command, List<String> args, String state, Integer exitCode,
      Instant startedAt, Instant finishedAt, boolean cancelRequested, long lineCount) {}

  /** A view of the command with output lines from {@code from} to before {@code next}. */
  public record Page(String id, String command, List<String> args, String state, Integer exitCode,
      Instant startedAt, Instant finishedAt, boolean cancelRequested, long lineCount,
      long from, long next, long firstAvailable, List<String> lines) {

    public static Page of(View view, CommandOutput.Chunk chunk) {
      return new Page(view.id(), view.command(), view.args(), view.state(), view.exitCode(), view.startedAt(),
          view.finishedAt(), view.cancelRequested(), view.lineCount(), chunk.from(), chunk.next(),
          chunk.firstAvailable(), chunk.lines());
    }
  }

  private final String id;
  private final CommandRequest request;
  private final Instant startedAt;
  private final CommandOutput output = new CommandOutput();
  private volatile DbtProcess process;
  private volatile State state = State.RUNNING;
  private volatile Integer exitCode;
  private volatile Instant finishedAt;

  DbtCommand(String id, CommandRequest request, Instant startedAt) {
    this.id = id;
    this.request = request;
    this.startedAt = startedAt;
  }

  public String id() {
    return id;
  }

  public CommandOutput output() {
    return output;
  }

  public State state() {
    return state;
  }

  public View view() {
    DbtProcess p = process;
    return new View(id, request.command(), request.dbtArgs(), state.label(), exitCode, startedAt, finishedAt,
        p != null && p.cancelRequested(), output.lineCount());
  }

  void started(DbtProcess process) {
    this.process = process;
  }

  void cancel() {
    DbtProcess p = process;
    if (p != null && state == State.RUNNING && !p.cancelRequested()) {
      output.add("Cancelling: dbt gets SIGINT to cancel its warehouse queries; whatever still runs is stopped after a grace period");
      p.cancel();
    }
  }

  /** Records the end; the output's readers learn it after the state is set. */
  void finished(int exitCode, Instant at) {
    DbtProcess p = process;
    this.exitCode = exitCode;
    this.finishedAt = at;
    this.state = p != null && p.cancelRequested() ? State.CANCELLED : exitCode == 0 ? State.SUCCEEDED : State.FAILED;
    output.end();
  }
}
