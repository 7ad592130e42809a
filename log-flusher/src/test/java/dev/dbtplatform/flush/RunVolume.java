package dev.dbtplatform.flush;

import dev.dbtplatform.contract.RunOutcome;
import dev.dbtplatform.contract.RunSummary;
import dev.dbtplatform.contract.StepResult;
import dev.dbtplatform.contract.StepStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A fake run volume, as the run runtime leaves it. */
final class RunVolume {
  final Path root;

  RunVolume(Path root) {
    this.root = root;
  }

  static RunSummary summary() {
    Instant t = Instant.parse("2026-01-02T03:00:00Z");
    return new RunSummary(RunOutcome.Succeeded, "Succeeded", "all steps succeeded", "0123456789abcdef0123456789abcdef01234567",
        "main", t, t.plusSeconds(90), List.of(
            new StepResult(1, "Clone git repository", null, StepStatus.Succeeded, t, t.plusSeconds(2), null),
            new StepResult(2, "Create profile from connection", null, StepStatus.Succeeded, t.plusSeconds(2), t.plusSeconds(3), null),
            new StepResult(3, "Invoke dbt with `dbt deps`", "dbt deps", StepStatus.Succeeded, t.plusSeconds(3), t.plusSeconds(10), 0),
            new StepResult(4, "Invoke dbt with `dbt build`", "dbt build", StepStatus.Succeeded, t.plusSeconds(10), t.plusSeconds(90), 0)));
  }

  /** A finished four-step run; returns the relative path of every file that must be uploaded. */
  Map<String, String> writeTypicalRun() {
    Map<String, String> uploaded = new LinkedHashMap<>();
    for (int step = 1; step <= 4; step++) {
      String log = "logs/step-" + step + ".log";
      write(log, "step " + step + " output\nline two of step " + step + "\n");
      uploaded.put(log, "steps/" + step + "/logs.txt");
    }
    write("artifacts/step-3/manifest.json", "{\"nodes\":{}}");
    uploaded.put("artifacts/step-3/manifest.json", "steps/3/artifacts/manifest.json");
    write("artifacts/step-4/run_results.json", "{\"results\":[{\"status\":\"success\"}]}");
    uploaded.put("artifacts/step-4/run_results.json", "steps/4/artifacts/run_results.json");
    write("artifacts/step-4/manifest.json", "{\"nodes\":{\"model.x\":{}}}");
    uploaded.put("artifacts/step-4/manifest.json", "steps/4/artifacts/manifest.json");
    write("run-summary.json", summary().toJson());
    uploaded.put("run-summary.json", "run-summary.json");

    // the git checkout and stray files: never uploaded
    write("project/dbt_project.yml", "name: jaffle\n");
    write("project/models/orders.sql", "select 1\n");
    write("project/logs/step-9.log", "dbt's own log folder inside the project\n");
    write("project/target/run_results.json", "{}");
    write("notes.txt", "not part of the layout\n");
    write("logs/dbt.log", "not a step log\n");
    write("artifacts/step-4/graph/nested.json", "{}");
    return uploaded;
  }

  Path write(String relative, String content) {
    Path file = root.resolve(relative);
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** A file of pseudo-random bytes written 1 MiB at a time. */
  Path writeLarge(String relative, long size, long seed) {
    Path file = root.resolve(relative);
    byte[] chunk = new byte[1024 * 1024];
    Random random = new Random(seed);
    try {
      Files.createDirectories(file.getParent());
      try (OutputStream out = Files.newOutputStream(file)) {
        for (long written = 0; written < size; ) {
          random.nextBytes(chunk);
          int n = (int) Math.min(chunk.length, size - written);
          out.write(chunk, 0, n);
          written += n;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
