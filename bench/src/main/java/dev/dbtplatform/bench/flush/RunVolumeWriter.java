package dev.dbtplatform.bench.flush;

import dev.dbtplatform.contract.RunOutcome;
import dev.dbtplatform.contract.RunSummary;
import dev.dbtplatform.contract.RunVolumeLayout;
import dev.dbtplatform.contract.StepResult;
import dev.dbtplatform.contract.StepStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A finished run's volume as RunVolumeLayout describes it: {@value #STEPS} steps, each with a
 * step log and a manifest.json artifact of equal size, and the run summary. dbt's logs and
 * manifests are text, so the bytes are log lines.
 */
final class RunVolumeWriter {
  static final int STEPS = 4;

  private RunVolumeWriter() {}

  /** Writes about {@code totalBytes} to the volume; answers the files the flush must upload. */
  static List<Path> write(Path workspace, long totalBytes) throws IOException {
    long perFile = Math.max(1, totalBytes / (2L * STEPS));
    byte[] block = logBlock();
    List<Path> files = new ArrayList<>();
    for (int step = 1; step <= STEPS; step++) {
      files.add(fill(RunVolumeLayout.stepLog(workspace, step), perFile, block));
      files.add(fill(RunVolumeLayout.stepArtifacts(workspace, step).resolve("manifest.json"), perFile, block));
    }
    Path summary = RunVolumeLayout.summary(workspace);
    Files.writeString(summary, summary().toJson(), StandardCharsets.UTF_8);
    files.add(summary);
    return files;
  }

  private static Path fill(Path file, long size, byte[] block) throws IOException {
    Files.createDirectories(file.getParent());
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long written = 0; written < size; written += block.length) {
        out.write(block, 0, (int) Math.min(block.length, size - written));
      }
    }
    return file;
  }

  private static byte[] logBlock() {
    StringBuilder text = new StringBuilder(1 << 20);
    for (int i = 0; text.length() < (1 << 20); i++) {
      text.append("12:00:").append(i % 60).append("  ").append(i).append(" of 5000 OK created sql table model ")
          .append("analytics.stg_orders_").append(i).append(" ........ [SELECT ").append(i * 7).append(" in 0.12s]\n");
    }
    return text.substring(0, 1 << 20).getBytes(StandardCharsets.UTF_8);
  }

  private static RunSummary summary() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    List<StepResult> steps = new ArrayList<>();
    for (int step = 1; step <= STEPS; step++) {
      steps.add(new StepResult(step, "Invoke dbt with `dbt build`", "dbt build", StepStatus.Succeeded,
          t.plusSeconds(step * 10L), t.plusSeconds(step * 10L + 9), 0));
    }
    return new RunSummary(RunOutcome.Succeeded, "Succeeded", "all steps succeeded",
        "0123456789abcdef0123456789abcdef01234567", "main", t, t.plusSeconds(60), steps);
  }
}
