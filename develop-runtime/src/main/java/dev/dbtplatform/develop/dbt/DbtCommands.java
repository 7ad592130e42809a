package dev.dbtplatform.develop.dbt;

import dev.dbtplatform.develop.DevelopException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dbt commands of {@code /dbt/commands}: started in the background, their output kept while
 * they run and for a while after, for the editor to read or stream. One runs at a time (the
 * {@link DbtSlot}); the last {@value #KEPT} stay listed.
 */
public final class DbtCommands {
  private static final Logger LOG = LoggerFactory.getLogger(DbtCommands.class);
  static final int KEPT = 20;

  private final DbtLauncher launcher;
  private final DbtSlot slot;
  private final Clock clock;
  private final Map<String, DbtCommand> commands = new LinkedHashMap<>();

  public DbtCommands(DbtLauncher launcher, DbtSlot slot, Clock clock) {
    this.launcher = launcher;
    this.slot = slot;
    this.clock = clock;
  }

  /** @throws DevelopException 409 while another dbt command runs */
  public DbtCommand start(CommandRequest request) {
    String id = "cmd-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    DbtSlot.Lease lease = slot.acquire(id, request.commandLine(), true, true);
    try {
      DbtCommand command = new DbtCommand(id, request, clock.instant());
      command.output().add("$ " + request.commandLine());
      DbtProcess process = launcher.start(id, request.dbtArgs(), command.output()::add);
      command.started(process);
      lease.attach(process);
      remember(command);
      Thread waiter = new Thread(() -> awaitEnd(command, process, lease), "dbt-command-" + id);
      waiter.setDaemon(true);
      waiter.start();
      LOG.info("Started {}: {}", id, request.commandLine());
      return command;
    } catch (RuntimeException e) {
      lease.close();
      throw e;
    }
  }

  public DbtCommand get(String id) {
    synchronized (commands) {
      DbtCommand command = commands.get(id);
      if (command == null) {
        throw DevelopException.notFound("command_not_found", "There is no dbt command " + id
            + " (only the last " + KEPT + " are kept, and none survive a restart of the session).");
      }
      return command;
    }
  }

  /** Newest first. */
  public List<DbtCommand.View> list() {
    synchronized (commands) {
      List<DbtCommand.View> views = new ArrayList<>();
      commands.values().forEach(c -> views.add(0, c.view()));
      return views;
    }
  }

  /** Asks the command to stop; it ends cancelled once dbt has stopped. Cancelling an ended command changes nothing. */
  public DbtCommand cancel(String id) {
    DbtCommand command = get(id);
    command.cancel();
    return command;
  }

  /** Stops whatever runs, for the JVM's shutdown. */
  public void cancelAll() {
    synchronized (commands) {
      commands.values().forEach(DbtCommand::cancel);
    }
  }

  private void awaitEnd(DbtCommand command, DbtProcess process, DbtSlot.Lease lease) {
    int exitCode = -1;
    try {
      Integer code = null;
      while (code == null) {
        code = process.await(Duration.ofHours(1));
      }
      exitCode = code;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.cancel();
    } finally {
      // The slot first: whoever sees the command ended may start the next one at once.
      lease.close();
      command.finished(exitCode, clock.instant());
      LOG.info("{} ended {} (exit code {})", command.id(), command.state().label(), exitCode);
    }
  }

  private void remember(DbtCommand command) {
    synchronized (commands) {
      commands.put(command.id(), command);
      var oldest = commands.values().iterator();
      while (commands.size() > KEPT && oldest.hasNext()) {
        if (oldest.next().state() != DbtCommand.State.RUNNING) {
          oldest.remove();
        }
      }
    }
  }
}
