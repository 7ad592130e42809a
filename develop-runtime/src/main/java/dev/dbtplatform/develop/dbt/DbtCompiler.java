package dev.dbtplatform.develop.dbt;

import dev.dbtplatform.develop.DevelopException;
import java.util.List;
import java.util.regex.Pattern;

/** {@code dbt parse} and {@code dbt compile} of a model or of SQL the editor sends. */
public final class DbtCompiler {
  /** Model names; versioned models are name.v2. */
  static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,255}");
  /** The SQL goes to dbt as one argument, and Linux limits one argument to 128 KiB. */
  public static final int MAX_SQL_CHARS = 100 * 1024;

  /** @param output dbt's messages */
  public record Parsed(List<String> output) {}

  /**
   * @param uniqueId the compiled node (sql_operation...inline_query for SQL)
   * @param compiledSql the SQL dbt would run, Jinja resolved
   */
  public record Compiled(String uniqueId, String name, String compiledSql) {}

  private final DbtInvoker dbt;

  public DbtCompiler(DbtInvoker dbt) {
    this.dbt = dbt;
  }

  /**
   * @param countsAsActivity false when the parse is the platform's own (lineage), not the user's
   * @throws DevelopException 400 with dbt's message when the project does not parse
   */
  public Parsed parse(boolean countsAsActivity) {
    DbtInvoker.Invocation result = dbt.run("dbt parse", List.of("parse"), countsAsActivity);
    requireSuccess(result, "The project does not parse");
    return new Parsed(result.messages());
  }

  public Compiled compileModel(String name) {
    String model = nodeName(name, "model");
    // The model only, not its tests too.
    DbtInvoker.Invocation result = dbt.run("dbt compile --select " + model,
        List.of("compile", "--select", model, "--indirect-selection", "empty"), true);
    if (result.exitCode() == 0 && result.first("NoNodesForSelectionCriteria").isPresent()) {
      throw DevelopException.notFound("model_not_found", "The project has no enabled model named " + model + ".");
    }
    requireSuccess(result, "Cannot compile " + model);
    return compiled(result, model);
  }

  public Compiled compileSql(String sql) {
    DbtInvoker.Invocation result = dbt.run("dbt compile --inline", List.of("compile", "--inline", inlineSql(sql)), true);
    requireSuccess(result, "Cannot compile the SQL");
    return compiled(result, "inline_query");
  }

  /** The model name, checked: a name, never a selector or a flag. */
  public static String nodeName(String name, String what) {
    if (name == null || !NODE_NAME.matcher(name).matches()) {
      throw DevelopException.invalid("invalid_" + what, "\"" + what + "\" must be a " + what
          + "'s name, such as orders (letters, digits, '_', '.', '-').");
    }
    return name;
  }

  public static String inlineSql(String sql) {
    if (sql == null || sql.isBlank()) {
      throw DevelopException.invalid("sql_required", "Give the SQL to run in \"sql\", or a model's name in \"model\".");
    }
    if (sql.length() > MAX_SQL_CHARS) {
      throw DevelopException.tooLarge("sql_too_large", "The SQL is " + sql.length() + " characters; at most "
          + MAX_SQL_CHARS + " can be compiled or previewed inline. Put it in a model instead.");
    }
    if (sql.indexOf('\0') >= 0) {
      throw DevelopException.invalid("invalid_sql", "The SQL contains a NUL character.");
    }
    return sql;
  }

  /** A failed dbt command as a 400 carrying dbt's message and output. */
  public static void requireSuccess(DbtInvoker.Invocation result, String what) {
    if (result.exitCode() != 0) {
      throw new DevelopException(DevelopException.Kind.INVALID, "dbt_failed", what + ": " + result.errorMessage(),
          result.messages());
    }
  }

  private static Compiled compiled(DbtInvoker.Invocation result, String name) {
    List<JsonLogEvent> nodes = result.all("CompiledNode");
    JsonLogEvent node = nodes.stream().filter(e -> name.equals(e.data().path("node_name").asText())).findFirst()
        .orElse(nodes.isEmpty() ? null : nodes.get(0));
    if (node == null) {
      throw new DevelopException(DevelopException.Kind.INVALID, "dbt_failed",
          "dbt compiled " + name + " but did not report its SQL (does the name select several nodes?)", result.messages());
    }
    return new Compiled(node.data().path("unique_id").asText(null), node.data().path("node_name").asText(name),
        node.data().path("compiled").asText(""));
  }
}
