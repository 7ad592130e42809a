package dev.dbtplatform.develop.dbt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * One line of dbt's {@code --log-format json} output: the event's name (ShowNode, CompiledNode,
 * MainEncounteredError, ...), its level, the message a person reads, and its data. Lines that
 * are not JSON (a Python traceback) become "Raw" events whose message is the line.
 */
public record JsonLogEvent(String name, String level, String msg, JsonNode data) {
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final String RAW = "Raw";

  static JsonLogEvent parse(String line) {
    if (line.startsWith("{")) {
      try {
        JsonNode root = JSON.readTree(line);
        JsonNode info = root.path("info");
        if (info.isObject()) {
          return new JsonLogEvent(info.path("name").asText(""), info.path("level").asText("info"),
              info.path("msg").asText(""), root.path("data"));
        }
      } catch (Exception e) {
        // not JSON after all
      }
    }
    return new JsonLogEvent(RAW, "info", line, NullNode.getInstance());
  }

  public boolean isError() {
    return level.equals("error");
  }
}
