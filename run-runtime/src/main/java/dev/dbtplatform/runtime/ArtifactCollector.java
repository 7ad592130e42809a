package dev.dbtplatform.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * Keeps each dbt step's artifacts (target/*.json) apart: dbt overwrites them with every
 * command, so they are copied to the step's own folder on the run volume after the step.
 */
final class ArtifactCollector {
  /**
   * Artifacts that only some commands write. Left over from an earlier step they would be
   * mistaken for this step's (a failed {@code dbt build} leaves the previous run_results.json).
   */
  private static final List<String> STALE = List.of("run_results.json", "sources.json", "catalog.json");

  private final Path targetDir;

  ArtifactCollector(Path targetDir) {
    this.targetDir = targetDir;
  }

  /**
   * dbt's target folder: DBT_TARGET_PATH, else target-path of dbt_project.yml, else "target",
   * relative to the project.
   */
  static ArtifactCollector forProject(Path projectDir, Map<String, String> dbtEnv) {
    String path = dbtEnv.get("DBT_TARGET_PATH");
    if (path == null || path.isBlank()) {
      try {
        JsonNode configured = ProfileWriter.readProject(projectDir).get("target-path");
        path = configured != null && configured.isTextual() ? configured.asText() : "target";
      } catch (IOException e) {
        path = "target";
      }
    }
    return new ArtifactCollector(projectDir.resolve(path));
  }

  void deleteStale() throws IOException {
    for (String name : STALE) {
      Files.deleteIfExists(targetDir.resolve(name));
    }
  }

  /** Copies target/*.json (not the sub folders) into {@code destination}. @return how many files */
  int copyTo(Path destination) throws IOException {
    if (!Files.isDirectory(targetDir)) {
      return 0;
    }
    int copied = 0;
    try (var files = Files.list(targetDir)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json") && Files.isRegularFile(f)).toList()) {
        Files.createDirectories(destination);
        Files.copy(file, destination.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        copied++;
      }
    }
    return copied;
  }
}
