package dev.dbtplatform.bench.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbtplatform.bench.BenchSection;
import dev.dbtplatform.bench.BenchSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A tiny run of the throughput benchmark: every run reaches Succeeded with its logs flushed and
 * its volume released, the limit is measured, and the figures are there; times are never asserted.
 */
class ThroughputBenchSmokeTest {
  @Test
  void drainsRunsAtASteadyRateAndMeasuresTheLimit() throws Exception {
    BenchSettings tiny = BenchSettings.parse("--only=throughput", "--output=none", "--throughput-runs=20",
        "--throughput-warm-up-runs=3", "--throughput-rates=5", "--throughput-window-seconds=1",
        "--throughput-run-seconds=2", "--throughput-timeout-seconds=90");

    BenchSection section = new ThroughputBench().run(tiny,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    var f = section.figures();
    assertThat(f.get("drain.done")).isEqualTo(20);
    assertThat(f.get("drain.notSucceeded")).isZero();
    assertThat(f.get("drain.volumesLeft")).isZero();
    assertThat(f.get("drain.errors")).isZero();
    assertThat(f.get("drain.runsPerMinute")).isPositive();
    assertThat(f.get("rate5.done")).isEqualTo(f.get("rate5.runs")).isEqualTo(5);
    assertThat(f.get("rate5.podP99Millis")).isPositive();
    assertThat(f.get("rate5.runningP99Millis")).isNotNull();
    assertThat(f.get("rate5.errors")).isZero();
    assertThat(f.get("direct.podsPerMinute")).isPositive();
    assertThat(f.get("direct.errors")).isZero();
    assertThat(section.rows()).hasSize(3);
    assertThat(section.method()).contains("20 DbtRuns");
  }
}
