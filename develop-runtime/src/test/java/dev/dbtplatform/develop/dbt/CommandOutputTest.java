package dev.dbtplatform.develop.dbt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class CommandOutputTest {
  @Test
  void linesAreNumberedAndReadFromWhereTheReaderLeftOff() {
    CommandOutput output = new CommandOutput();
    output.add("a");
    output.add("b");
    output.add("c");
    CommandOutput.Chunk first = output.read(0, 2);
    assertThat(first.lines()).containsExactly("a", "b");
    assertThat(first.next()).isEqualTo(2);
    CommandOutput.Chunk rest = output.read(first.next(), 100);
    assertThat(rest.lines()).containsExactly("c");
    assertThat(rest.ended()).isFalse();
    output.end();
    assertThat(output.read(3, 100).ended()).isTrue();
    assertThat(output.read(1, 1).ended()).isFalse(); // more to read before the end
  }

  @Test
  void theOldestLinesGoFirstWhenThereAreTooMany() {
    CommandOutput output = new CommandOutput();
    for (int i = 0; i < CommandOutput.MAX_LINES + 10; i++) {
      output.add("line " + i);
    }
    CommandOutput.Chunk chunk = output.read(0, 1);
    assertThat(chunk.firstAvailable()).isEqualTo(10);
    assertThat(chunk.from()).isEqualTo(10);
    assertThat(chunk.lines()).containsExactly("line 10");
    assertThat(output.lineCount()).isEqualTo(CommandOutput.MAX_LINES + 10);
    output.add("x".repeat(CommandOutput.MAX_LINE_CHARS + 5));
    assertThat(output.read(output.lineCount() - 1, 1).lines().get(0)).endsWith("[line cut]");
  }

  @Test
  void aWaitingReaderWakesUpForTheNextLine() throws Exception {
    CommandOutput output = new CommandOutput();
    CompletableFuture<CommandOutput.Chunk> waiting = CompletableFuture.supplyAsync(() -> {
      try {
        return output.await(0, 10, Duration.ofMinutes(1));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(100);
    output.add("hello");
    assertThat(waiting.get().lines()).containsExactly("hello");
    assertThat(output.await(1, 10, Duration.ofMillis(50)).lines()).isEmpty();
  }
}
