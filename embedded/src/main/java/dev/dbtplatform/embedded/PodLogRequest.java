package dev.dbtplatform.embedded;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request for a pod's log, {@code GET /api/v1/namespaces/{ns}/pods/{name}/log}, with the query
 * parameters that select what of the log to answer. Others (follow, previous, timestamps,
 * sinceSeconds, sinceTime) are accepted and ignored: the answer is the log as it is now.
 *
 * @param container null when the request names none
 * @param tailLines null for all lines
 * @param limitBytes null for no limit
 */
record PodLogRequest(String namespace, String pod, String container, Integer tailLines, Long limitBytes) {
  private static final Pattern PATH = Pattern.compile("/api/v1/namespaces/([^/?]+)/pods/([^/?]+)/log(?:\\?(.*))?");

  /**
   * @return empty when the path is not a pod log request
   * @throws IllegalArgumentException when tailLines or limitBytes is not a number the API accepts
   */
  static Optional<PodLogRequest> parse(String path) {
    Matcher m = PATH.matcher(path);
    if (!m.matches()) {
      return Optional.empty();
    }
    Map<String, String> query = query(m.group(3));
    String container = query.get("container");
    Long tailLines = number(query, "tailLines", 0, Integer.MAX_VALUE);
    return Optional.of(new PodLogRequest(decode(m.group(1)), decode(m.group(2)),
        container == null || container.isEmpty() ? null : container,
        tailLines == null ? null : tailLines.intValue(),
        number(query, "limitBytes", 1, Long.MAX_VALUE)));
  }

  /** What of {@code log} the request asks for: the last tailLines lines, then at most limitBytes bytes of them. */
  byte[] select(String log) {
    String text = tailLines == null ? log : lastLines(log, tailLines);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return limitBytes == null || bytes.length <= limitBytes ? bytes : Arrays.copyOf(bytes, limitBytes.intValue());
  }

  private static String lastLines(String log, int count) {
    if (count == 0) {
      return "";
    }
    // a last line without its line break still counts as a line
    int end = log.endsWith("\n") ? log.length() - 1 : log.length();
    int from = end;
    for (int found = 0; found < count; found++) {
      from = log.lastIndexOf('\n', from - 1);
      if (from < 0) {
        return log;
      }
    }
    return log.substring(from + 1);
  }

  private static Map<String, String> query(String text) {
    Map<String, String> params = new HashMap<>();
    if (text != null && !text.isEmpty()) {
      for (String pair : text.split("&")) {
        int eq = pair.indexOf('=');
        params.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
      }
    }
    return params;
  }

  private static Long number(Map<String, String> query, String name, long min, long max) {
    String text = query.get(name);
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      long value = Long.parseLong(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new IllegalArgumentException(name + " must be a whole number of at least " + min + ", got " + text);
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }
}
