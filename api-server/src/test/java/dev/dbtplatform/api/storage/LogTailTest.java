package dev.dbtplatform.api.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogTailTest {
  @Test
  void dropsThePartialFirstLine() {
    assertThat(LogTail.render(bytes("rtial line\nwhole line\n"), 100))
        .isEqualTo("[... 111 earlier bytes not shown ...]\nwhole line\n");
  }

  @Test
  void keepsTheFirstLineWhenTheByteBeforeIsALineBreak() {
    assertThat(LogTail.render(bytes("\nwhole line\n"), 40)).isEqualTo("[... 41 earlier bytes not shown ...]\nwhole line\n");
  }

  @Test
  void withoutLineBreaksStartsAtACharacter() {
    // "€" is E2 82 AC: the window starts at 82 (offset 9); what follows it, AC, is inside the
    // character too, so the tail starts at "a" (offset 11)
    byte[] window = bytes("€abc");
    byte[] fromInside = java.util.Arrays.copyOfRange(window, 1, window.length);

    assertThat(LogTail.render(fromInside, 9)).isEqualTo("[... 11 earlier bytes not shown ...]\nabc");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
