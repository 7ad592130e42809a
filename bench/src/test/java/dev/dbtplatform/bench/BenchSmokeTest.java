package dev.dbtplatform.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny run of the API and flush benchmarks through BenchMain, as {@code make bench} runs them,
 * each in a JVM of its own: they run, produce numbers that come back from the child, and write the
 * report; times are never asserted.
 */
class BenchSmokeTest {
  @TempDir Path tmp;

  @Test
  void apiAndFlushBenchmarksRunAndWriteTheReport() throws Exception {
    Path report = tmp.resolve("BENCHMARKS.md");
    BenchSettings tiny = BenchSettings.parse("--only=api,flush", "--output=" + report, "--history-runs=2000",
        "--concurrency=2", "--warmup-seconds=0.3", "--warmup-max-seconds=0.5", "--seconds=1", "--flush-mib=4");

    BenchResults results = BenchMain.run(tiny, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        BenchFork::run);

    BenchSection api = results.section(4);
    for (String load : new String[] {"lookup", "list", "ceiling", "pk"}) {
      assertThat(api.figures().get(load + ".perSecond")).as(load).isPositive();
      assertThat(api.figures().get(load + ".p99Millis")).as(load).isPositive();
      assertThat(api.figures().get(load + ".errors")).as(load).isZero();
    }
    BenchSection flush = results.section(6);
    assertThat(flush.figures().get("flusher.bytes")).isGreaterThanOrEqualTo(4 << 20);
    assertThat(flush.figures().get("flusher.megabytesPerSecond")).isPositive();
    assertThat(flush.figures().get("plain.megabytesPerSecond")).isPositive();
    assertThat(Files.readString(report)).contains("## Results", "run lookup", "log flusher", "**4. API.**",
        "**6. Log flush.**", "--history-runs=2000");
  }

  @Test
  void unknownOptionsAndBenchmarksAreRefusedWithWhatIsKnown() {
    assertThatThrownBy(() -> BenchSettings.parse("--histroy-runs=5"))
        .hasMessageContaining("unknown option --histroy-runs").hasMessageContaining("--history-runs");
    assertThatThrownBy(() -> BenchSettings.parse("--only=nope")).hasMessageContaining("unknown benchmark nope");
  }
}
