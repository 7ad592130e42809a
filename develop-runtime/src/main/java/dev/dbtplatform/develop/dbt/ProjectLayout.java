package dev.dbtplatform.develop.dbt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbtplatform.runtime.ProfileWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Where dbt puts what it generates in a project: the target folder and the installed packages. */
public final class ProjectLayout {
  private ProjectLayout() {}

  /** DBT_TARGET_PATH, else target-path of dbt_project.yml, else target. */
  public static Path targetDir(Path projectDir, Map<String, String> env) {
    return projectDir.resolve(configured(projectDir, env, "DBT_TARGET_PATH", "target-path", "target"));
  }

  /** DBT_PACKAGES_INSTALL_PATH, else packages-install-path of dbt_project.yml, else dbt_packages. */
  public static Path packagesDir(Path projectDir, Map<String, String> env) {
    return projectDir.resolve(configured(projectDir, env, "DBT_PACKAGES_INSTALL_PATH", "packages-install-path", "dbt_packages"));
  }

  private static String configured(Path projectDir, Map<String, String> env, String var, String key, String fallback) {
    String value = env.get(var);
    if (value != null && !value.isBlank()) {
      return value;
    }
    try {
      JsonNode configured = ProfileWriter.readProject(projectDir).get(key);
      return configured != null && configured.isTextual() && !configured.asText().isBlank() ? configured.asText() : fallback;
    } catch (IOException e) {
      return fallback;
    }
  }
}
