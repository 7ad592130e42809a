package dev.dbtplatform.operator.run;

import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunSpec;
import dev.dbtplatform.crd.RunPhase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * dbt Cloud's queueing rules, decided for one Queued run from one view of all runs:
 *
 * <ol>
 *   <li>a newer scheduled run of the same job replaces an older scheduled one that never started,
 *       so a job keeps at most one scheduled run waiting;
 *   <li>runs of one job run one after another: a run waits while another run of its job has
 *       started, or one queued before it still waits;
 *   <li>with run slots, at most that many runs of an account are started at once; the others
 *       wait, oldest first.
 * </ol>
 *
 * <p>A run takes part once it is resolved: its job and account are those of its snapshot. Only
 * runs that are not final count. The order is by creation time, then namespace and name, so every
 * view orders the same runs the same way and exactly one of two waiting runs is ahead.
 */
final class RunQueue {
  static final String WAITING_FOR_PREVIOUS_RUN = "WaitingForPreviousRun";
  static final String WAITING_FOR_RUN_SLOT = "WaitingForRunSlot";
  static final String SUPERSEDED = "Superseded";

  static final Comparator<DbtRun> ORDER = Comparator
      .comparing((DbtRun r) -> created(r))
      .thenComparing(r -> r.getMetadata().getNamespace(), Comparator.nullsFirst(Comparator.naturalOrder()))
      .thenComparing(r -> r.getMetadata().getName());

  /** Runs of an account that may be started at once; 0 for no limit. */
  private final int runSlots;

  RunQueue(int runSlots) {
    this.runSlots = Math.max(0, runSlots);
  }

  /** Whether any rule can hold this run back; if not, no other run needs to be read. */
  boolean appliesTo(DbtRun run) {
    return jobOf(run) != null || runSlots > 0;
  }

  /**
   * @param run the Queued, resolved run, as this pass sees it
   * @param view the other runs (the run itself may be among them in an older version; it is skipped)
   */
  Turn turnOf(DbtRun run, Collection<DbtRun> view) {
    List<DbtRun> others = view.stream()
        .filter(r -> !sameRun(r, run))
        .filter(r -> r.getStatus() != null && r.getStatus().resolved != null && !r.getStatus().phaseOrQueued().isTerminal())
        .toList();
    String job = jobOf(run);
    if (job != null) {
      if (isScheduled(run)) {
        Optional<DbtRun> newer = others.stream()
            .filter(r -> sameJob(r, run) && isWaiting(r) && isScheduled(r) && ORDER.compare(r, run) > 0)
            .max(ORDER);
        if (newer.isPresent()) {
          return new Turn.Superseded(newer.get().getMetadata().getName(), job);
        }
      }
      Optional<DbtRun> ahead = aheadInJob(run, others);
      if (ahead.isPresent()) {
        return new Turn.Wait(WAITING_FOR_PREVIOUS_RUN, previousRunMessage(ahead.get(), job));
      }
    }
    if (runSlots > 0) {
      String account = accountOf(run);
      List<DbtRun> ofAccount = others.stream().filter(r -> Objects.equals(account, accountOf(r))).toList();
      long started = ofAccount.stream().filter(RunQueue::hasStarted).count();
      // Queued runs ahead take the free slots first, unless their own job holds them back.
      List<DbtRun> all = new ArrayList<>(others);
      all.add(run);
      long queuedAhead = ofAccount.stream()
          .filter(r -> isWaiting(r) && ORDER.compare(r, run) < 0 && aheadInJob(r, all).isEmpty())
          .count();
      // The message gives only their sum: a run ahead that starts moves from one count to the other,
      // and sends no wake-up that would correct a message with both.
      long ahead = started + queuedAhead;
      if (ahead >= runSlots) {
        return new Turn.Wait(WAITING_FOR_RUN_SLOT, "waiting for a run slot: account " + account + " runs at most "
            + runSlots + " at a time, " + ahead + " ahead of this one");
      }
    }
    return new Turn.Go();
  }

  /**
   * The run of the same job this one waits for: one that has started (whatever its age: two runs
   * created in the same second may be ordered against the order they were seen in), else the
   * oldest that was queued before it.
   */
  private static Optional<DbtRun> aheadInJob(DbtRun run, Collection<DbtRun> runs) {
    List<DbtRun> sameJob = runs.stream()
        .filter(r -> !sameRun(r, run) && sameJob(r, run) && !r.getStatus().phaseOrQueued().isTerminal())
        .toList();
    Optional<DbtRun> started = sameJob.stream().filter(RunQueue::hasStarted).min(ORDER);
    if (started.isPresent()) {
      return started;
    }
    return sameJob.stream().filter(r -> isWaiting(r) && ORDER.compare(r, run) < 0).min(ORDER);
  }

  /** Names the run ahead but not its phase: it may start without waking this run to say so. */
  private static String previousRunMessage(DbtRun ahead, String job) {
    return "waiting for run " + ahead.getMetadata().getName() + " of job " + job
        + " to go first: runs of a job run one at a time";
  }

  /** Past Queued and not final: it has (or is getting) a pod. */
  static boolean hasStarted(DbtRun run) {
    RunPhase phase = run.getStatus().phaseOrQueued();
    return phase != RunPhase.Queued && !phase.isTerminal();
  }

  /** Queued and going to start some day: a cancel ends it without one. */
  private static boolean isWaiting(DbtRun run) {
    return run.getStatus().phaseOrQueued() == RunPhase.Queued
        && (run.getSpec() == null || !run.getSpec().isCancelRequested());
  }

  static boolean isScheduled(DbtRun run) {
    return run.getSpec() != null && run.getSpec().runReasonCategory == DbtRunSpec.ReasonCategory.scheduled;
  }

  static String jobOf(DbtRun run) {
    return run.getStatus() == null || run.getStatus().resolved == null ? null : run.getStatus().resolved.jobName;
  }

  static String accountOf(DbtRun run) {
    return run.getStatus() == null || run.getStatus().resolved == null ? null : run.getStatus().resolved.accountId;
  }

  static boolean sameJob(DbtRun a, DbtRun b) {
    return jobOf(a) != null && jobOf(a).equals(jobOf(b))
        && Objects.equals(a.getMetadata().getNamespace(), b.getMetadata().getNamespace());
  }

  static boolean sameRun(DbtRun a, DbtRun b) {
    return Objects.equals(a.getMetadata().getNamespace(), b.getMetadata().getNamespace())
        && Objects.equals(a.getMetadata().getName(), b.getMetadata().getName());
  }

  private static Instant created(DbtRun run) {
    Instant created = Durations.parse(run.getMetadata().getCreationTimestamp());
    return created == null ? Instant.MAX : created; // not stored yet: the newest of all
  }
}
