package dev.dbtplatform.develop.dbt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbtplatform.develop.DevelopException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A dbt command the editor asks for, as structured fields rather than a command line: only dbt's
 * own commands with the options below, so a request can never add flags that move the profile,
 * the target folder or the logs somewhere else.
 *
 * <p>Body: {@code {"command": "build", "select": "orders+", "exclude": "...", "selector": "...",
 * "full_refresh": true, "vars": {...}}}, or for a macro {@code {"command": "run-operation",
 * "macro": "sleep", "args": {"seconds": 60}}}.
 */
public record CommandRequest(String command, List<String> dbtArgs) {
  private static final List<String> SELECTING = List.of("select", "exclude", "selector", "vars");
  private static final List<String> SELECTING_WITH_REFRESH = List.of("select", "exclude", "selector", "vars", "full_refresh");
  /** The commands and the options each takes, in the order the error messages list them. */
  private static final Map<String, List<String>> COMMANDS = commands();
  private static final Pattern MACRO = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
  private static final int MAX_TEXT = 4096;

  public static CommandRequest fromJson(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw DevelopException.invalid("invalid_body", "The body must be a JSON object such as {\"command\": \"build\", \"select\": \"orders\"}.");
    }
    String command = text(body, "command");
    if (command == null || !COMMANDS.containsKey(command)) {
      throw DevelopException.invalid("invalid_command", "\"command\" must be one of " + String.join(", ", COMMANDS.keySet())
          + (command == null ? "." : "; \"" + command + "\" is not."));
    }
    List<String> allowed = COMMANDS.get(command);
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("command") && !allowed.contains(name)) {
        throw DevelopException.invalid("invalid_option", "dbt " + command + " does not take \"" + name + "\""
            + (allowed.isEmpty() ? "." : "; it takes " + String.join(", ", allowed) + "."));
      }
    }
    List<String> args = new ArrayList<>(List.of(command.split(" ")));
    if (command.equals("run-operation")) {
      String macro = text(body, "macro");
      if (macro == null || !MACRO.matcher(macro).matches()) {
        throw DevelopException.invalid("invalid_macro", "\"macro\" must name a macro, such as \"sleep\" or \"my_package.grant_select\".");
      }
      args.add(macro);
      JsonNode macroArgs = object(body, "args");
      if (macroArgs != null) {
        args.addAll(List.of("--args", macroArgs.toString()));
      }
    }
    addSelection(args, "--select", selection(body, "select"));
    addSelection(args, "--exclude", selection(body, "exclude"));
    String selector = text(body, "selector");
    if (selector != null) {
      args.addAll(List.of("--selector", plain(selector, "selector")));
    }
    JsonNode fullRefresh = body.get("full_refresh");
    if (fullRefresh != null && !fullRefresh.isNull()) {
      if (!fullRefresh.isBoolean()) {
        throw DevelopException.invalid("invalid_option", "\"full_refresh\" must be true or false.");
      }
      if (fullRefresh.asBoolean()) {
        args.add("--full-refresh");
      }
    }
    JsonNode vars = object(body, "vars");
    if (vars != null) {
      // JSON is YAML, which --vars reads.
      args.addAll(List.of("--vars", vars.toString()));
    }
    return new CommandRequest(command, List.copyOf(args));
  }

  /** The command as a person would type it, for the output's first line and messages. */
  public String commandLine() {
    StringBuilder line = new StringBuilder("dbt");
    for (String arg : dbtArgs) {
      line.append(' ').append(arg.isEmpty() || arg.matches(".*[\\s'\"{}*].*") ? "'" + arg.replace("'", "'\\''") + "'" : arg);
    }
    return line.toString();
  }

  private static void addSelection(List<String> args, String flag, String selection) {
    if (selection != null) {
      args.addAll(List.of(flag, selection));
    }
  }

  /** A selection as dbt takes it: a string of space-separated methods, or a list of them. */
  private static String selection(JsonNode body, String name) {
    JsonNode value = body.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    if (value.isTextual()) {
      parts.add(value.asText());
    } else if (value.isArray()) {
      for (JsonNode part : value) {
        if (!part.isTextual()) {
          throw DevelopException.invalid("invalid_option", "\"" + name + "\" must be a string or a list of strings.");
        }
        parts.add(part.asText());
      }
    } else {
      throw DevelopException.invalid("invalid_option", "\"" + name + "\" must be a string or a list of strings.");
    }
    String joined = String.join(" ", parts).strip();
    if (joined.isEmpty()) {
      return null;
    }
    for (String token : joined.split("\\s+")) {
      if (token.startsWith("-")) {
        throw DevelopException.invalid("invalid_option", "\"" + name + "\" holds node selection methods such as orders+ or tag:nightly; \""
            + token + "\" looks like a flag.");
      }
    }
    return plain(joined, name);
  }

  private static String plain(String value, String name) {
    if (value.length() > MAX_TEXT || value.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
      throw DevelopException.invalid("invalid_option", "\"" + name + "\" is too long or contains control characters.");
    }
    if (value.startsWith("-")) {
      throw DevelopException.invalid("invalid_option", "\"" + name + "\" may not start with '-'.");
    }
    return value;
  }

  private static String text(JsonNode body, String name) {
    JsonNode value = body.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw DevelopException.invalid("invalid_option", "\"" + name + "\" must be a string.");
    }
    return value.asText();
  }

  private static JsonNode object(JsonNode body, String name) {
    JsonNode value = body.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isObject()) {
      throw DevelopException.invalid("invalid_option", "\"" + name + "\" must be a JSON object, such as {\"seconds\": 60}.");
    }
    return value;
  }

  private static Map<String, List<String>> commands() {
    Map<String, List<String>> commands = new LinkedHashMap<>();
    commands.put("build", SELECTING_WITH_REFRESH);
    commands.put("run", SELECTING_WITH_REFRESH);
    commands.put("seed", SELECTING_WITH_REFRESH);
    commands.put("test", SELECTING);
    commands.put("snapshot", SELECTING);
    commands.put("compile", SELECTING);
    commands.put("ls", List.of("select", "exclude", "selector"));
    commands.put("source freshness", SELECTING);
    commands.put("docs generate", SELECTING);
    commands.put("run-operation", List.of("macro", "args", "vars"));
    commands.put("parse", List.of("vars"));
    commands.put("deps", List.of());
    commands.put("debug", List.of());
    commands.put("clean", List.of());
    return Collections.unmodifiableMap(commands);
  }
}
