package dev.dbtplatform.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A run step such as {@code dbt run --vars '{"include_broken": true}'} split into arguments the
 * way a POSIX shell would split it, without running a shell: no variables, globs or pipes, so a
 * step can never run anything but dbt.
 *
 * <p>Rules: whitespace separates arguments; single quotes keep everything literally; double
 * quotes keep everything except that a backslash escapes {@code "} and {@code \}; outside quotes
 * a backslash escapes the next character. Quoted parts glue to their neighbours ({@code a'b c'}
 * is one argument) and {@code ''} is an empty argument.
 */
record StepCommand(String command, List<String> dbtArgs) {

  StepCommand {
    dbtArgs = List.copyOf(dbtArgs);
  }

  /** @throws IllegalArgumentException when the command is not {@code dbt <something>} or its quotes do not close */
  static StepCommand parse(String command) {
    if (command == null || !command.startsWith("dbt ")) {
      throw new IllegalArgumentException("a step must start with \"dbt \": " + command);
    }
    List<String> args = split(command);
    if (args.size() < 2 || !args.get(0).equals("dbt")) {
      throw new IllegalArgumentException("a step must name a dbt command: " + command);
    }
    return new StepCommand(command, args.subList(1, args.size()));
  }

  /** dbt commands that never read a project's state, so deferral does not apply to them. */
  private static final Set<String> STATELESS = Set.of("deps", "debug", "clean", "init");

  /**
   * This command comparing against the state in {@code stateDir}, as dbt Cloud runs a deferring
   * job's commands: {@code --defer --state <dir>} at the end, unless the command names its own
   * state or deferral or does not read state at all.
   */
  StepCommand deferringTo(String stateDir) {
    if (dbtArgs.isEmpty() || STATELESS.contains(dbtArgs.get(0)) || dbtArgs.stream().anyMatch(StepCommand::isStateFlag)) {
      return this;
    }
    List<String> args = new ArrayList<>(dbtArgs);
    args.addAll(List.of("--defer", "--state", stateDir));
    return new StepCommand(command, args);
  }

  private static boolean isStateFlag(String arg) {
    return arg.equals("--defer") || arg.equals("--no-defer") || arg.startsWith("--state") || arg.startsWith("--defer-state");
  }

  /** The process command line with the given dbt executable in front. */
  List<String> commandLine(String dbtExecutable) {
    List<String> line = new ArrayList<>(dbtArgs.size() + 1);
    line.add(dbtExecutable);
    line.addAll(dbtArgs);
    return line;
  }

  static List<String> split(String text) {
    List<String> args = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean inArgument = false; // distinguishes '' (an empty argument) from no argument at all
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        if (inArgument) {
          args.add(current.toString());
          current.setLength(0);
          inArgument = false;
        }
        i++;
      } else if (c == '\'') {
        int end = text.indexOf('\'', i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("unclosed single quote in: " + text);
        }
        current.append(text, i + 1, end);
        inArgument = true;
        i = end + 1;
      } else if (c == '"') {
        i = readDoubleQuoted(text, i + 1, current);
        inArgument = true;
      } else if (c == '\\') {
        if (i + 1 >= text.length()) {
          throw new IllegalArgumentException("trailing backslash in: " + text);
        }
        current.append(text.charAt(i + 1));
        inArgument = true;
        i += 2;
      } else {
        current.append(c);
        inArgument = true;
        i++;
      }
    }
    if (inArgument) {
      args.add(current.toString());
    }
    return args;
  }

  /** Appends the double-quoted text starting at {@code start}; returns the index after the closing quote. */
  private static int readDoubleQuoted(String text, int start, StringBuilder out) {
    int i = start;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '"') {
        return i + 1;
      }
      if (c == '\\' && i + 1 < text.length() && (text.charAt(i + 1) == '"' || text.charAt(i + 1) == '\\')) {
        out.append(text.charAt(i + 1));
        i += 2;
      } else {
        out.append(c);
        i++;
      }
    }
    throw new IllegalArgumentException("unclosed double quote in: " + text);
  }
}
