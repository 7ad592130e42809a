package dev.dbtplatform.bench.scheduler;

import dev.dbtplatform.bench.operator.QuietStandIn;
import dev.dbtplatform.embedded.EmbeddedKubernetes;
import dev.dbtplatform.operator.DbtPlatformOperator;
import dev.dbtplatform.operator.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One measurement: a fresh API stand-in with the jobs in it, the whole operator started on it,
 * and a window of whole minutes in which every every-minute job's fire and the limit's runs
 * beside them are sighted.
 */
final class SkewRound {
  static final String NAMESPACE = "default";
  /** How long the operator may take to show every job Ready before the round gives up. */
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(10);
  /**
   * The window's first fire comes at least this long after every job shows Ready: the operator
   * has taken on each job by then, but the tail of its start-up (the status writes and catch-up
   * runs of the last jobs) is still queued, and a fire in it measures start-up, not scheduling.
   */
  static final Duration SETTLE = Duration.ofSeconds(10);
  /** Rare schedules keep quiet this long around the round, whatever the start-up takes. */
  private static final Duration QUIET_MARGIN = Duration.ofMinutes(30);

  /**
   * @param jobs scheduled jobs in all, the every-minute ones included
   * @param everyMinute jobs that fire every minute
   * @param minutes fires of each every-minute job in the window
   * @param grace how long after the last fire the window stays open for its runs
   */
  record Settings(int jobs, int everyMinute, int minutes, Duration grace) {
    /**
     * Start-up allowance: the clock is set so that a minute begins this long after the operator
     * starts. Taking on 5,000 jobs has taken 75 to 100 s on a busy two-core machine: about 15 ms
     * each. If the operator is ready later, the window starts at the following minute.
     */
    Duration lead() {
      return SETTLE.plusSeconds(10).plusMillis(16L * jobs);
    }
  }

  /**
   * @param startup from starting the operator to every job showing Ready
   * @param clockAhead how far the shared clock ran ahead of the system clock
   * @param creationTimestamp one run's creationTimestamp as the stand-in wrote it
   */
  record Outcome(Settings settings, FireTally scheduler, FireTally limit, int limitCreateFailures, Duration startup,
                 Duration clockAhead, String creationTimestamp) {}

  /** Defaults, watching only the jobs' namespace (the limit's runs are elsewhere), no metrics port. */
  private static final OperatorConfig OPERATOR = watchingOnly(NAMESPACE, OperatorConfig.defaults().withMetricsPort(-1));

  private SkewRound() {}

  static Outcome run(Settings s, String name, PrintStream log) throws Exception {
    try (EmbeddedKubernetes kubernetes = QuietStandIn.start();
         KubernetesClient client = kubernetes.newClient();
         KubernetesClient plainClient = kubernetes.newClient()) {
      long created = System.nanoTime();
      Instant now = Instant.now();
      JobFleet.create(client, NAMESPACE, s.jobs(), s.everyMinute(), now.minus(QUIET_MARGIN),
          now.plus(s.lead()).plus(Duration.ofMinutes(s.minutes())).plus(QUIET_MARGIN));
      log.printf("scheduler: %s: %,d jobs created in %.1f s%n", name, s.jobs(), (System.nanoTime() - created) / 1e9);

      ShiftedClock clock = ShiftedClock.minuteBeginsIn(s.lead());
      try (RunSightings sightings = RunSightings.watch(client, clock);
           JobReadiness readiness = new JobReadiness(client, NAMESPACE)) {
        long started = System.nanoTime();
        try (DbtPlatformOperator operator = DbtPlatformOperator.start(client, OPERATOR, clock)) {
          if (!readiness.await(s.jobs(), READY_TIMEOUT)) {
            throw new IllegalStateException("only " + readiness.readyJobs() + " of " + s.jobs() + " jobs Ready after "
                + READY_TIMEOUT.toMinutes() + " min");
          }
          Instant readyAt = clock.instant();
          Duration startup = Duration.ofNanos(System.nanoTime() - started);
          List<Instant> fires = minutesAfter(readyAt.plus(SETTLE), s.minutes());
          log.printf("scheduler: %s: all jobs Ready %.1f s after the operator started; fires %s to %s%n", name,
              startup.toMillis() / 1000.0, fires.get(0), fires.get(fires.size() - 1));
          try (LimitProbes probes = LimitProbes.schedule(plainClient, clock, fires, s.everyMinute())) {
            sleepUntil(clock, fires.get(fires.size() - 1).plus(s.grace()));
            return tally(s, name, sightings.all(), fires, probes.failures(), startup, clock.ahead(), log);
          }
        }
      }
    }
  }

  private static Outcome tally(Settings s, String name, List<RunSightings.Sighting> seen, List<Instant> fires,
                               int limitCreateFailures, Duration startup, Duration clockAhead, PrintStream log) {
    List<String> jobs = JobFleet.everyMinuteJobNames(s.everyMinute());
    List<String> probes = LimitProbes.labels(s.everyMinute());
    for (Instant fire : fires) {
      // minute by minute: a slow minute points at what else the operator was doing then
      log.printf("scheduler: %s: fire %s: operator max %.0f ms, limit max %.0f ms%n", name, fire,
          FireTally.of(seen, false, jobs, List.of(fire)).skews().maxMillis(),
          FireTally.of(seen, true, probes, List.of(fire)).skews().maxMillis());
    }
    FireTally scheduler = FireTally.of(seen, false, jobs, fires);
    FireTally limit = FireTally.of(seen, true, probes, fires);
    log.printf("scheduler: %s: operator %s%n", name, scheduler.figures());
    log.printf("scheduler: %s: limit    %s%n", name, limit.figures());
    String example = seen.isEmpty() ? "(none)" : seen.get(seen.size() - 1).created();
    return new Outcome(s, scheduler, limit, limitCreateFailures, startup, clockAhead, example);
  }

  private static OperatorConfig watchingOnly(String namespace, OperatorConfig c) {
    return new OperatorConfig(Set.of(namespace), c.runImageRepository(), c.defaultDbtVersion(), c.flushImage(),
        c.objectStore(), c.runVolumeSize(), c.storageClass(), c.defaultAccountId(), c.startTimeout(), c.timeoutGrace(),
        c.flushBackoff(), c.flushBackoffMax(), c.referenceWait(), c.metricsPort(), c.cleanup(), c.scheduleCatchUp(),
        c.runSlots(), c.develop(), c.leaderElection());
  }

  /** The first {@code count} whole minutes strictly after {@code instant}. */
  static List<Instant> minutesAfter(Instant instant, int count) {
    List<Instant> fires = new ArrayList<>();
    long minute = Math.floorDiv(instant.getEpochSecond(), 60) + 1;
    for (int i = 0; i < count; i++) {
      fires.add(Instant.ofEpochSecond((minute + i) * 60));
    }
    return fires;
  }

  private static void sleepUntil(ShiftedClock clock, Instant until) throws InterruptedException {
    Duration left = Duration.between(clock.instant(), until);
    if (!left.isNegative()) {
      Thread.sleep(left.toMillis() + 1);
    }
  }
}
