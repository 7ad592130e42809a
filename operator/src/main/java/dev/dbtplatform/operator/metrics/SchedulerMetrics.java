package dev.dbtplatform.operator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;

/**
 * What the DbtJob scheduler did: how late scheduled runs were created (the schedule skew), and
 * every fire of a schedule or a completion trigger by what came of it.
 */
public final class SchedulerMetrics {
  /** What came of one fire. */
  public enum Outcome {
    /** This operator created the run. */
    CREATED,
    /** The run was there already: a restart, a duplicate event, another replica. */
    ALREADY_EXISTED,
    /** The fire was missed (operator down, environment missing) by more than the catch-up time. */
    SKIPPED_MISSED;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What fired. */
  public enum Trigger {
    SCHEDULE, COMPLETION;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final MeterRegistry registry;
  private final Timer skew;

  public SchedulerMetrics(MeterRegistry registry) {
    this.registry = registry;
    // Prometheus shows it as dbt_platform_schedule_skew_seconds
    this.skew = Timer.builder("dbt_platform_schedule_skew")
        .description("Time from a schedule's fire time to the creation of its DbtRun")
        .publishPercentileHistogram().register(registry);
  }

  public void fired(Trigger trigger, Outcome outcome) {
    Counter.builder("dbt_platform_job_fires")
        .description("Fires of job schedules and completion triggers, by outcome")
        .tag("trigger", trigger.tag())
        .tag("outcome", outcome.tag())
        .register(registry)
        .increment();
  }

  public void scheduleSkew(Duration late) {
    skew.record(late.isNegative() ? Duration.ZERO : late);
  }
}
