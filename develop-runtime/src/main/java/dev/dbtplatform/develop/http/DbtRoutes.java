package dev.dbtplatform.develop.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbtplatform.develop.DevelopException;
import dev.dbtplatform.develop.dbt.CommandOutput;
import dev.dbtplatform.develop.dbt.CommandRequest;
import dev.dbtplatform.develop.dbt.DbtCommand;
import dev.dbtplatform.develop.dbt.DbtCommands;
import dev.dbtplatform.develop.dbt.DbtCompiler;
import dev.dbtplatform.develop.dbt.DbtSlot;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * dbt: parse and compile answer at once; the other commands run in the background and their output
 * is read by polling (long polling with {@code wait}) or as a stream of NDJSON events.
 */
final class DbtRoutes {
  /** Below the usual 30 s idle timeouts of proxies and Jetty, so a long poll always answers first. */
  static final int MAX_WAIT_SECONDS = 25;
  static final int MAX_LINES_PER_READ = 5_000;
  /** A stream writes a heartbeat when dbt is quiet this long, so idle timeouts do not close it. */
  static final Duration HEARTBEAT = Duration.ofSeconds(10);

  private final DbtCompiler compiler;
  private final DbtCommands commands;
  private final DbtSlot slot;

  DbtRoutes(DbtCompiler compiler, DbtCommands commands, DbtSlot slot) {
    this.compiler = compiler;
    this.commands = commands;
    this.slot = slot;
  }

  void register(RoutesConfig routes) {
    routes.post("/dbt/parse", ctx -> Json.respond(ctx, 200, compiler.parse(true)));
    routes.post("/dbt/compile", this::compile);
    routes.post("/dbt/commands", ctx -> Json.respond(ctx, 202, commands.start(CommandRequest.fromJson(Json.body(ctx))).view()));
    routes.get("/dbt/commands", ctx -> Json.respond(ctx, 200, Map.of("commands", commands.list())));
    routes.get("/dbt/commands/{id}", this::read);
    routes.get("/dbt/commands/{id}/stream", this::stream);
    routes.post("/dbt/commands/{id}/cancel", ctx -> Json.respond(ctx, 202, commands.cancel(ctx.pathParam("id")).view()));
    routes.post("/dbt/cancel", this::cancelCurrent);
  }

  private void compile(Context ctx) {
    JsonNode body = Json.body(ctx);
    String model = Json.text(body, "model");
    String sql = Json.text(body, "sql");
    if ((model == null) == (sql == null)) {
      throw DevelopException.invalid("model_or_sql", "Give either \"model\" (a model's name) or \"sql\" (SQL with Jinja), not both.");
    }
    Json.respond(ctx, 200, model != null ? compiler.compileModel(model) : compiler.compileSql(sql));
  }

  /** The command and its output from line {@code since}; with {@code wait}, waits up to that many seconds for more. */
  private void read(Context ctx) throws InterruptedException {
    DbtCommand command = commands.get(ctx.pathParam("id"));
    long since = orDefault(Query.number(ctx, "since", 0, Long.MAX_VALUE), 0);
    int max = (int) orDefault(Query.number(ctx, "max_lines", 1, MAX_LINES_PER_READ), MAX_LINES_PER_READ);
    long wait = orDefault(Query.number(ctx, "wait", 0, MAX_WAIT_SECONDS), 0);
    CommandOutput.Chunk chunk = command.output().await(since, max, Duration.ofSeconds(wait));
    Json.respond(ctx, 200, DbtCommand.Page.of(command.view(), chunk));
  }

  /**
   * Newline-delimited JSON until the command ends: {@code {"type":"line","n":12,"text":"..."}}
   * per output line, {@code {"type":"heartbeat"}} while dbt is quiet, and last
   * {@code {"type":"end","state":"succeeded","exit_code":0}}.
   */
  private void stream(Context ctx) throws InterruptedException {
    DbtCommand command = commands.get(ctx.pathParam("id"));
    long since = orDefault(Query.number(ctx, "since", 0, Long.MAX_VALUE), 0);
    ctx.status(200).contentType("application/x-ndjson");
    ctx.header("Cache-Control", "no-cache");
    ctx.header("X-Accel-Buffering", "no"); // nginx-style proxies: pass each line on at once
    try {
      // The servlet's own stream: Javalin's wrapper does not pass flush() on, so lines would wait
      // for the end of the command.
      OutputStream out = ctx.res().getOutputStream();
      while (true) {
        CommandOutput.Chunk chunk = command.output().await(since, MAX_LINES_PER_READ, HEARTBEAT);
        long n = chunk.from();
        for (String line : chunk.lines()) {
          Map<String, Object> event = new LinkedHashMap<>();
          event.put("type", "line");
          event.put("n", n++);
          event.put("text", line);
          write(out, event);
        }
        since = chunk.next();
        if (chunk.ended()) {
          DbtCommand.View view = command.view();
          Map<String, Object> end = new LinkedHashMap<>();
          end.put("type", "end");
          end.put("state", view.state());
          end.put("exit_code", view.exitCode());
          write(out, end);
          out.flush();
          return;
        }
        if (chunk.lines().isEmpty()) {
          write(out, Map.of("type", "heartbeat"));
        }
        out.flush();
      }
    } catch (IOException e) {
      // The reader went away; the command goes on.
    }
  }

  private void cancelCurrent(Context ctx) {
    DbtSlot.Holder cancelled = slot.cancelCurrent().orElseThrow(() ->
        DevelopException.conflict("nothing_running", "No dbt command is running."));
    Json.respond(ctx, 202, Map.of("cancelled", cancelled.id(), "what", cancelled.what()));
  }

  private static void write(OutputStream out, Object event) throws IOException {
    out.write((Json.line(event) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static long orDefault(Long value, long fallback) {
    return value == null ? fallback : value;
  }
}
