package dev.dbtplatform.develop.dbt;

import dev.dbtplatform.develop.Activity;
import dev.dbtplatform.develop.DevelopException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The workspace runs one dbt process at a time: two would write the same target/ folder (partial
 * parse state, manifest, compiled SQL) at once. Whoever holds the slot has the one; the others get
 * a 409 naming it.
 */
public final class DbtSlot {
  /**
   * @param id the command's id
   * @param what what runs, for the message of whoever has to wait
   * @param since when it started
   * @param async whether it is a command of {@code /dbt/commands} (else a parse, compile or preview)
   */
  public record Holder(String id, String what, Instant since, boolean async) {}

  private final Activity activity;
  private final Clock clock;
  private Holder holder;
  private boolean countsAsActivity;
  private DbtProcess process;

  public DbtSlot(Activity activity, Clock clock) {
    this.activity = activity;
    this.clock = clock;
  }

  /**
   * @param countsAsActivity whether it keeps the session from going idle (the user's dbt commands
   *     and previews do; a parse the lineage needs does not)
   * @throws DevelopException 409 while another dbt process runs
   */
  public synchronized Lease acquire(String id, String what, boolean async, boolean countsAsActivity) {
    if (holder != null) {
      String cancel = holder.async() ? "POST /dbt/commands/" + holder.id() + "/cancel" : "POST /dbt/cancel";
      throw DevelopException.conflict("dbt_busy", "dbt is busy: " + holder.what() + " (command " + holder.id()
          + ") has been running since " + holder.since() + ". Wait for it to finish, or cancel it with " + cancel + ".");
    }
    holder = new Holder(id, what, clock.instant(), async);
    this.countsAsActivity = countsAsActivity;
    process = null;
    if (countsAsActivity) {
      activity.commandStarted();
    }
    return new Lease(holder);
  }

  public synchronized Optional<Holder> holder() {
    return Optional.ofNullable(holder);
  }

  /** Cancels whatever dbt process runs now. @return what was cancelled */
  public synchronized Optional<Holder> cancelCurrent() {
    if (holder != null && process != null) {
      process.cancel();
      return Optional.of(holder);
    }
    return Optional.empty();
  }

  private synchronized void attach(Holder owner, DbtProcess running) {
    if (holder == owner) {
      process = running;
    }
  }

  private synchronized void release(Holder owner) {
    if (holder == owner) {
      holder = null;
      process = null;
      if (countsAsActivity) {
        activity.commandEnded();
      }
    }
  }

  /** The right to run dbt until closed. */
  public final class Lease implements AutoCloseable {
    private final Holder owner;

    private Lease(Holder owner) {
      this.owner = owner;
    }

    /** The process the lease runs, so that a cancel of the slot reaches it. */
    public void attach(DbtProcess process) {
      DbtSlot.this.attach(owner, process);
    }

    @Override
    public void close() {
      release(owner);
    }
  }
}
