package dev.dbtplatform.api.live;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads a log line by line without ever holding more than one line of at most {@code maxLineChars}:
 * a longer line (a JSON log record, a huge SQL error) is cut and says so.
 */
final class LogLines {
  static final String CUT = " [... line shortened ...]";

  private LogLines() {}

  static void forEach(InputStream in, int maxLineChars, Consumer<String> lines) throws IOException {
    Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
    StringBuilder line = new StringBuilder();
    boolean cut = false;
    char[] buffer = new char[8192];
    int n;
    while ((n = reader.read(buffer)) >= 0) {
      for (int i = 0; i < n; i++) {
        char c = buffer[i];
        if (c == '\n') {
          lines.accept(finish(line, cut));
          line.setLength(0);
          cut = false;
        } else if (line.length() < maxLineChars) {
          line.append(c);
        } else {
          cut = true;
        }
      }
    }
    if (!line.isEmpty() || cut) {
      lines.accept(finish(line, cut));
    }
  }

  private static String finish(StringBuilder line, boolean cut) {
    int end = line.length();
    if (!cut && end > 0 && line.charAt(end - 1) == '\r') {
      end--;
    }
    return line.substring(0, end) + (cut ? CUT : "");
  }
}
