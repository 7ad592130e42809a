package dev.dbtplatform.operator.cleanup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the sweeper deleted, by kind and reason, and how its passes went: a deletion count that
 * suddenly jumps, or passes that keep failing, is worth an alert.
 */
public final class CleanupMetrics {
  static final String DELETIONS = "dbt_platform_cleanup_deletions";
  static final String PASSES = "dbt_platform_cleanup_passes";

  private final MeterRegistry registry;

  public CleanupMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void deleted(String kind, String reason) {
    Counter.builder(DELETIONS)
        .description("Objects the cleanup sweeper deleted, by kind and reason")
        .tag("kind", kind)
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  void pass(boolean succeeded) {
    Counter.builder(PASSES)
        .description("Cleanup sweeper passes, by result")
        .tag("result", succeeded ? "succeeded" : "failed")
        .register(registry)
        .increment();
  }
}
