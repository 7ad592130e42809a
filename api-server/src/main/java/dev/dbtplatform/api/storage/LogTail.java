package dev.dbtplatform.api.storage;

import java.nio.charset.StandardCharsets;

/**
 * The end of a log too long to show whole: it starts at a line start (or, when the window holds no
 * line break, at a character start) so that the reader never sees half a line or a broken
 * multi-byte character, and says how much came before.
 */
final class LogTail {
  private LogTail() {}

  /**
   * @param window the last bytes of the log, plus the one byte before them: that byte tells
   *     whether the window already starts at a line start
   * @param windowStart offset in the log of {@code window[0]}
   * @return "[... N earlier bytes not shown ...]" on its own line, then the tail
   */
  static String render(byte[] window, long windowStart) {
    int cut = cutIndex(window);
    return "[... " + (windowStart + cut) + " earlier bytes not shown ...]\n"
        + new String(window, cut, window.length - cut, StandardCharsets.UTF_8);
  }

  private static int cutIndex(byte[] window) {
    if (window.length <= 1 || window[0] == '\n') {
      return Math.min(1, window.length);
    }
    // the first line break that still has text after it; a trailing one alone would leave nothing to show
    for (int i = 1; i < window.length - 1; i++) {
      if (window[i] == '\n') {
        return i + 1;
      }
    }
    return characterStart(window, 1);
  }

  /** Skips UTF-8 continuation bytes (10xxxxxx); a character has at most three of them. */
  private static int characterStart(byte[] window, int from) {
    int index = from;
    while (index < window.length && index < from + 3 && (window[index] & 0xC0) == 0x80) {
      index++;
    }
    return index;
  }
}
