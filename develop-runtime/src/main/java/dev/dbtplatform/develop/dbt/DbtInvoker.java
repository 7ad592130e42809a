package dev.dbtplatform.develop.dbt;

import dev.dbtplatform.develop.DevelopException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs a short dbt command (parse, compile, show, deps) and waits for it, reading dbt's JSON log
 * events rather than its text, so that results (compiled SQL, preview rows) come from the event
 * data and not from scraping a table. The caller gets the events; nothing is kept afterwards.
 */
public final class DbtInvoker {
  /** A query that takes longer is stopped; cancel it sooner with POST /dbt/cancel. */
  public static final Duration TIMEOUT = Duration.ofMinutes(15);

  /** What a finished dbt command said. */
  public record Invocation(int exitCode, List<JsonLogEvent> events) {
    public Optional<JsonLogEvent> first(String name) {
      return events.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    public List<JsonLogEvent> all(String name) {
      return events.stream().filter(e -> e.name().equals(name)).toList();
    }

    /** The messages a person would have read on the console, without the preview data. */
    public List<String> messages() {
      return events.stream().filter(e -> !e.name().equals("ShowNode")).map(JsonLogEvent::msg)
          .filter(m -> !m.isBlank()).toList();
    }

    /** dbt's own account of what went wrong: its error messages, else its last lines. */
    public String errorMessage() {
      List<String> errors = events.stream().filter(JsonLogEvent::isError).map(e -> e.msg().strip())
          .filter(m -> !m.isEmpty()).toList();
      if (!errors.isEmpty()) {
        return String.join("\n", errors);
      }
      List<String> messages = messages();
      return messages.isEmpty() ? "dbt exited with code " + exitCode
          : String.join("\n", messages.subList(Math.max(0, messages.size() - 5), messages.size()));
    }
  }

  private final DbtLauncher launcher;
  private final DbtSlot slot;

  public DbtInvoker(DbtLauncher launcher, DbtSlot slot) {
    this.launcher = launcher;
    this.slot = slot;
  }

  /**
   * Runs dbt with the slot held.
   *
   * @param what what runs, for whoever has to wait meanwhile ("dbt compile")
   * @throws DevelopException 409 while another dbt command runs, or when this one was cancelled
   */
  public Invocation run(String what, List<String> args, boolean countsAsActivity) {
    String id = "sync-" + UUID.randomUUID().toString().substring(0, 8);
    try (DbtSlot.Lease lease = slot.acquire(id, what, false, countsAsActivity)) {
      return runHoldingSlot(id, args, lease::attach);
    }
  }

  /** Runs dbt without the slot: only while nothing else can run dbt (the workspace's setup). */
  public Invocation runUnguarded(List<String> args) {
    return runHoldingSlot("setup-" + UUID.randomUUID().toString().substring(0, 8), args, process -> {});
  }

  private Invocation runHoldingSlot(String id, List<String> args, java.util.function.Consumer<DbtProcess> started) {
    List<String> command = new ArrayList<>(args);
    command.addAll(List.of("--log-format", "json"));
    List<JsonLogEvent> events = Collections.synchronizedList(new ArrayList<>());
    DbtProcess process = launcher.start(id, command, line -> events.add(JsonLogEvent.parse(line)));
    started.accept(process);
    Integer exitCode;
    try {
      exitCode = process.await(TIMEOUT);
      if (exitCode == null) {
        process.cancel();
        process.await(Duration.ofSeconds(30));
        throw DevelopException.conflict("dbt_timeout", "dbt " + args.get(0) + " did not finish within "
            + TIMEOUT.toMinutes() + " minutes and was stopped.");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.cancel();
      throw new IllegalStateException("interrupted while dbt ran", e);
    }
    if (process.cancelRequested()) {
      throw DevelopException.conflict("dbt_cancelled", "dbt " + args.get(0) + " was cancelled.");
    }
    synchronized (events) {
      return new Invocation(exitCode, List.copyOf(events));
    }
  }
}
