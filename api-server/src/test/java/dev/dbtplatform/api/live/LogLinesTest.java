package dev.dbtplatform.api.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogLinesTest {
  static List<String> lines(String text, int maxLineChars) throws IOException {
    List<String> lines = new ArrayList<>();
    LogLines.forEach(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), maxLineChars, lines::add);
    return lines;
  }

  @Test
  void splitsAtLineBreaksKeepingEmptyLinesAndALastLineWithoutItsBreak() throws IOException {
    assertThat(lines("one\r\n\ntwo – ✓\nthree", 100)).containsExactly("one", "", "two – ✓", "three");
    assertThat(lines("one\n", 100)).containsExactly("one");
    assertThat(lines("", 100)).isEmpty();
  }

  @Test
  void cutsALongLineAndSaysSo() throws IOException {
    assertThat(lines("abcdefghij\nshort\n" + "x".repeat(5), 5))
        .containsExactly("abcde" + LogLines.CUT, "short", "xxxxx");
  }
}
