package dev.dbtplatform.operator.metrics;

import dev.dbtplatform.crd.DbtDevelopSession;
import dev.dbtplatform.crd.DevelopPhase;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.function.Supplier;

/** Develop sessions: how many are in each phase, and how long a start and a resume take. */
public final class DevelopMetrics {
  private final MeterRegistry registry;
  private final Timer starts;
  private final Timer resumes;

  public DevelopMetrics(MeterRegistry registry) {
    this.registry = registry;
    // Prometheus shows them as dbt_platform_develop_ready_seconds{kind="start"|"resume"}
    this.starts = Timer.builder("dbt_platform_develop_ready")
        .description("Time from a develop session's start (or resume) being asked for to the session being Ready")
        .tag("kind", "start").publishPercentileHistogram().register(registry);
    this.resumes = Timer.builder("dbt_platform_develop_ready")
        .description("Time from a develop session's start (or resume) being asked for to the session being Ready")
        .tag("kind", "resume").publishPercentileHistogram().register(registry);
  }

  /** Sessions by phase, read from the operator's cache when scraped. */
  public void readSessionsFrom(Supplier<Collection<DbtDevelopSession>> sessions) {
    for (DevelopPhase phase : DevelopPhase.values()) {
      Gauge.builder("dbt_platform_develop_sessions", () -> sessions.get().stream()
              .filter(s -> s.getStatus() != null && s.getStatus().phase == phase).count())
          .description("Develop sessions by phase")
          .tag("phase", phase.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
  }

  public void ready(boolean resumed, Duration took) {
    (resumed ? resumes : starts).record(took);
  }
}
