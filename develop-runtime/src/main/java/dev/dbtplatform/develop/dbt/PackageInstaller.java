package dev.dbtplatform.develop.dbt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the project's packages when they are missing, as dbt Cloud's IDE does when it starts:
 * a fresh clone has none, and without them nothing parses. An existing install is left alone
 * (the user runs {@code deps} after editing packages.yml).
 */
public final class PackageInstaller {
  private static final Logger LOG = LoggerFactory.getLogger(PackageInstaller.class);

  private final DbtLauncher launcher;
  private final DbtInvoker dbt;

  public PackageInstaller(DbtLauncher launcher, DbtInvoker dbt) {
    this.launcher = launcher;
    this.dbt = dbt;
  }

  /** Never fails the workspace: a failed install shows up again as dbt's own error on the next command. */
  public void installIfMissing() {
    Path project = launcher.projectDir();
    boolean declares = Files.isRegularFile(project.resolve("packages.yml")) || Files.isRegularFile(project.resolve("dependencies.yml"));
    if (!declares || !Files.isRegularFile(project.resolve("dbt_project.yml"))) {
      return;
    }
    Path installed = ProjectLayout.packagesDir(project, launcher.configuredEnv());
    if (Files.isDirectory(installed)) {
      return;
    }
    LOG.info("The project's packages are not installed: running dbt deps");
    try {
      DbtInvoker.Invocation result = dbt.runUnguarded(List.of("deps"));
      if (result.exitCode() == 0) {
        LOG.info("dbt deps installed the packages");
      } else {
        LOG.warn("dbt deps failed: {}", result.errorMessage());
      }
    } catch (RuntimeException e) {
      LOG.warn("dbt deps could not run: {}", e.getMessage());
    }
  }
}
