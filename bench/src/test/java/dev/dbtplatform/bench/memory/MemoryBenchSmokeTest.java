package dev.dbtplatform.bench.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbtplatform.bench.BenchSection;
import dev.dbtplatform.bench.BenchSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A tiny run of the memory benchmark: the operator's JVM starts three times, reconciles every
 * stored run and reports its heap; heap sizes are never asserted against the target.
 */
class MemoryBenchSmokeTest {
  @Test
  void measuresTheOperatorsHeapInAJvmOfItsOwn() throws Exception {
    BenchSettings tiny = BenchSettings.parse("--only=memory", "--output=none", "--memory-finished-runs=40",
        "--memory-active-runs=8", "--memory-foreign-objects=20");

    BenchSection section = new MemoryBench().run(tiny,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    var f = section.figures();
    assertThat(f.get("idle.heapBytes")).isPositive();
    assertThat(f.get("foreign.heapBytes")).isPositive();
    assertThat(f.get("full.heapBytes")).isPositive();
    assertThat(f.get("full.operatorBytes")).isPositive();
    assertThat(f.get("full.reconciles")).isGreaterThanOrEqualTo(48);
    assertThat(section.rows()).hasSize(3);
  }
}
