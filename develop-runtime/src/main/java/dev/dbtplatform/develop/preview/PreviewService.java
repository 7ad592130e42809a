package dev.dbtplatform.develop.preview;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbtplatform.develop.DevelopException;
import dev.dbtplatform.develop.dbt.DbtCompiler;
import dev.dbtplatform.develop.dbt.DbtInvoker;
import dev.dbtplatform.develop.dbt.DbtLauncher;
import dev.dbtplatform.develop.dbt.JsonLogEvent;
import dev.dbtplatform.develop.dbt.ProjectLayout;
import dev.dbtplatform.runtime.GitCheckout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

/**
 * Runs a model or ad hoc SQL with {@code dbt show} and returns the rows. The rows exist only in
 * memory, in this process: dbt is told not to write them anywhere. {@code --log-level-file none}
 * keeps them out of dbt.log (dbt logs previews there otherwise), {@code --no-write-json} out of
 * run_results.json, and the target and log paths point at a private scratch folder outside the
 * workspace that is deleted when dbt ends, so not even the compiled query stays behind. dbt only
 * reads from the warehouse for a preview.
 */
public final class PreviewService {
  public static final int DEFAULT_LIMIT = 500;
  public static final int MAX_LIMIT = 10_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param node the previewed node: the model's name, or inline_query
   * @param columns the column names, in the query's order; empty when there are no rows (dbt
   *     reports columns only with rows)
   * @param rows one list of values per row, in the order of {@code columns}
   * @param limit the most rows asked for
   * @param truncated whether there may be more rows than returned (as many rows as the limit)
   */
  public record Preview(String node, List<String> columns, List<List<JsonNode>> rows, int rowCount, int limit,
      boolean truncated) {}

  private final DbtInvoker dbt;
  private final DbtLauncher launcher;

  public PreviewService(DbtInvoker dbt, DbtLauncher launcher) {
    this.dbt = dbt;
    this.launcher = launcher;
  }

  /** @param limit null for {@value #DEFAULT_LIMIT} */
  public Preview previewModel(String model, Integer limit) {
    String name = DbtCompiler.nodeName(model, "model");
    // Without it dbt show also runs the model's tests, against tables that may not exist yet.
    return run(List.of("show", "--select", name, "--indirect-selection", "empty"), name, limit(limit));
  }

  public Preview previewSql(String sql, Integer limit) {
    return run(List.of("show", "--inline", DbtCompiler.inlineSql(sql)), "inline_query", limit(limit));
  }

  static int limit(Integer limit) {
    if (limit == null) {
      return DEFAULT_LIMIT;
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw DevelopException.invalid("invalid_limit", "\"limit\" must be between 1 and " + MAX_LIMIT + "; it is " + limit + ".");
    }
    return limit;
  }

  private Preview run(List<String> showArgs, String name, int limit) {
    Path scratch = launcher.privateDir().resolve("preview-" + UUID.randomUUID());
    try {
      Files.createDirectories(scratch);
      copyParseState(scratch);
      List<String> args = new ArrayList<>(showArgs);
      args.addAll(List.of("--limit", Integer.toString(limit), "--output", "json",
          "--log-level-file", "none", "--no-write-json",
          "--target-path", scratch.resolve("target").toString(),
          "--log-path", scratch.resolve("logs").toString()));
      DbtInvoker.Invocation result = dbt.run("dbt show (preview of " + name + ")", args, true);
      if (result.exitCode() == 0 && result.first("NoNodesForSelectionCriteria").isPresent()) {
        throw DevelopException.notFound("model_not_found", "The project has no enabled model named " + name + ".");
      }
      DbtCompiler.requireSuccess(result, "Cannot preview " + name);
      return rows(result, name, limit);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteQuietly(scratch);
    }
  }

  /**
   * dbt's partial parse state, so the throwaway target folder does not mean a full parse. It holds
   * the parsed project, no results.
   */
  private void copyParseState(Path scratch) throws IOException {
    Path state = ProjectLayout.targetDir(launcher.projectDir(), launcher.configuredEnv()).resolve("partial_parse.msgpack");
    if (Files.isRegularFile(state)) {
      Files.createDirectories(scratch.resolve("target"));
      Files.copy(state, scratch.resolve("target").resolve(state.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static Preview rows(DbtInvoker.Invocation result, String name, int limit) throws IOException {
    List<JsonLogEvent> shown = result.all("ShowNode");
    JsonLogEvent event = shown.stream().filter(e -> name.equals(e.data().path("node_name").asText())).findFirst()
        .orElse(shown.isEmpty() ? null : shown.get(0));
    if (event == null) {
      throw new DevelopException(DevelopException.Kind.INVALID, "dbt_failed",
          "dbt ran the preview of " + name + " but returned no rows", result.messages());
    }
    JsonNode data = JSON.readTree(event.data().path("preview").asText("[]"));
    List<String> columns = new ArrayList<>();
    if (data.isArray() && !data.isEmpty()) {
      for (Iterator<String> names = data.get(0).fieldNames(); names.hasNext(); ) {
        columns.add(names.next());
      }
    }
    List<List<JsonNode>> rows = new ArrayList<>();
    for (JsonNode row : data) {
      List<JsonNode> values = new ArrayList<>(columns.size());
      for (String column : columns) {
        values.add(row.path(column).isMissingNode() ? null : row.get(column));
      }
      rows.add(values);
    }
    return new Preview(event.data().path("node_name").asText(name), List.copyOf(columns), rows, rows.size(), limit,
        rows.size() >= limit);
  }

  private static void deleteQuietly(Path dir) {
    try {
      GitCheckout.deleteRecursively(dir);
    } catch (IOException e) {
      // the private folder goes with the process anyway
    }
  }
}
