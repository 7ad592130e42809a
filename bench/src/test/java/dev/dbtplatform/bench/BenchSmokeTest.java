package dev.dbtplatform.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny run of every benchmark so that they do not rot: they run and produce numbers; times are never asserted. */
class BenchSmokeTest {
  @TempDir Path tmp;

  @Test
  void apiAndFlushBenchmarksRunAndWriteTheReport() throws Exception {
    Path report = tmp.resolve("BENCHMARKS.md");
    BenchSettings tiny = new BenchSettings(2_000, 2, Duration.ofMillis(300), Duration.ofSeconds(1), 4L << 20,
        Set.of("api", "flush"), report);
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    BenchResults results = BenchMain.run(tiny, new PrintStream(log, true, StandardCharsets.UTF_8));

    assertThat(results.api().loads()).hasSize(4).allSatisfy(load -> {
      assertThat(load.requests()).as(load.name()).isPositive();
      assertThat(load.errors()).as(load.name()).isZero();
      assertThat(load.p99Millis()).as(load.name()).isPositive();
    });
    assertThat(results.flush()).hasSize(2).allSatisfy(upload -> {
      assertThat(upload.bytes()).isGreaterThanOrEqualTo(4L << 20);
      assertThat(upload.megabytesPerSecond()).isPositive();
    });
    assertThat(Files.readString(report)).contains("## Results", "run lookup", "log flusher", "Not measured yet");
  }
}
