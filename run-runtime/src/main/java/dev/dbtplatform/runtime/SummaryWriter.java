package dev.dbtplatform.runtime;

import dev.dbtplatform.contract.RunSummary;
import dev.dbtplatform.contract.RunVolumeLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes the run summary to the run volume (for the log flush) and, shortened to 4 KiB, to the
 * termination log (for the operator, through the pod status).
 */
final class SummaryWriter {
  private SummaryWriter() {}

  /** Writes both; a failure to write one does not keep the other from being written. */
  static void write(RunSummary summary, Path workspace, Path terminationLog, LogSink console) {
    try {
      writeAtomically(RunVolumeLayout.summary(workspace), summary.toJson());
    } catch (IOException | RuntimeException e) {
      console.info("Cannot write the run summary: " + e.getMessage());
    }
    if (terminationLog != null) {
      try {
        if (terminationLog.getParent() != null) {
          Files.createDirectories(terminationLog.getParent());
        }
        Files.writeString(terminationLog, summary.toTerminationMessage(), StandardCharsets.UTF_8);
      } catch (IOException | RuntimeException e) {
        console.info("Cannot write the termination log " + terminationLog + ": " + e.getMessage());
      }
    }
  }

  /** The main thread and the SIGTERM hook may both write: a reader never sees half a file. */
  private static void writeAtomically(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Path temp = Files.createTempFile(file.getParent(), ".run-summary", ".tmp");
    try {
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      try {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
