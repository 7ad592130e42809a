package dev.dbtplatform.bench.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbtplatform.bench.BenchMain;
import dev.dbtplatform.bench.BenchResults;
import dev.dbtplatform.bench.BenchSection;
import dev.dbtplatform.bench.BenchSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A tiny scheduler benchmark through BenchMain: 50 jobs, 3 of them every minute, one fire. The
 * shared clock is set so that a minute begins shortly after the operator starts, so the run does
 * not wait for the wall clock's next minute. Correctness (every fire seen once) is asserted;
 * times never are.
 */
class SchedulerBenchSmokeTest {
  @Test
  void everyFireInTheWindowGetsOneRunAndTheFiguresAreThere() throws Exception {
    BenchSettings tiny = BenchSettings.parse("--only=scheduler", "--output=none", "--scheduler-jobs=50",
        "--scheduler-every-minute=3", "--scheduler-minutes=1", "--scheduler-baseline-minutes=0",
        "--scheduler-grace-seconds=8");

    BenchResults results = BenchMain.run(tiny, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    BenchSection section = results.section(3);
    for (String kind : new String[] {"scheduler", "limit"}) {
      assertThat(section.figures().get(kind + ".expected")).as(kind).isEqualTo(3);
      assertThat(section.figures().get(kind + ".seen")).as(kind).isEqualTo(3);
      assertThat(section.figures().get(kind + ".missed")).as(kind).isZero();
      assertThat(section.figures().get(kind + ".duplicated")).as(kind).isZero();
      assertThat(section.figures().get(kind + ".p99Millis")).as(kind).isNotNaN();
    }
    assertThat(section.figures().get("scheduler.unexpected")).isZero();
    assertThat(section.figures().get("jobs")).isEqualTo(50);
    assertThat(section.method()).contains("50 DbtJobs");
  }

  @Test
  void theWindowHoldsTheWholeMinutesAfterReadiness() {
    List<Instant> fires = SkewRound.minutesAfter(Instant.parse("2026-01-01T10:00:00Z"), 2);
    assertThat(fires).containsExactly(Instant.parse("2026-01-01T10:01:00Z"),
        Instant.parse("2026-01-01T10:02:00Z"));
    assertThat(SkewRound.minutesAfter(Instant.parse("2026-01-01T10:00:59.999Z"), 1))
        .containsExactly(Instant.parse("2026-01-01T10:01:00Z"));
  }
}
