package dev.dbtplatform.bench.prep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbtplatform.bench.BenchSection;
import dev.dbtplatform.bench.BenchSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * One platform run and one direct run of the prep benchmark, without warm-up: it runs the
 * platform in one-machine mode, sees dbt's first line both ways and gives positive figures. Times
 * are never asserted.
 */
class PrepBenchSmokeTest {
  @Test
  void measuresThePlatformsPrepAndDbtDirectly() throws Exception {
    BenchSettings tiny = BenchSettings.parse("--only=prep", "--output=none", "--prep-runs=1", "--prep-warmups=0");
    ByteArrayOutputStream progress = new ByteArrayOutputStream();

    BenchSection section = new PrepBench().run(tiny, new PrintStream(progress, true, StandardCharsets.UTF_8));

    assertThat(section.number()).isEqualTo(5);
    assertThat(section.figures().get("platform.median")).isPositive();
    assertThat(section.figures().get("direct.median")).isPositive();
    assertThat(section.figures().get("dbtInPlatform.median")).isPositive();
    for (PrepPhase phase : PrepPhase.values()) {
      assertThat(section.figures().get("phase." + phase.key() + ".median")).as(phase.label).isNotNull();
    }
    assertThat(section.rows()).hasSize(4);
    assertThat(section.method()).contains("dbt deps");
    assertThat(progress.toString(StandardCharsets.UTF_8)).contains("platform started");
  }
}
