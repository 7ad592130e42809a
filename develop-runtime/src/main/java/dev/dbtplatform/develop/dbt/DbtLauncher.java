package dev.dbtplatform.develop.dbt;

import dev.dbtplatform.contract.DevelopConfig;
import dev.dbtplatform.develop.DevelopException;
import dev.dbtplatform.develop.DevelopSettings;
import dev.dbtplatform.develop.workspace.Workspace;
import dev.dbtplatform.runtime.DbtEnvironment;
import dev.dbtplatform.runtime.ProfileWriter;
import dev.dbtplatform.runtime.RunRuntime;
import dev.dbtplatform.runtime.SecretMasker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Starts dbt in the project folder with the user's profile. profiles.yml is written again before
 * every process (into the private folder, never the workspace): the project's profile name can
 * change with an edit of dbt_project.yml, and the mounted Secret with a rotation.
 */
public final class DbtLauncher {
  /** Set on every dbt process, so its processes can be told apart from other sessions' ones. */
  public static final String INVOCATION_VAR = "DBT_PLATFORM_DEVELOP_INVOCATION";

  private final DevelopSettings settings;
  private final Workspace workspace;
  private final SecretMasker masker;

  public DbtLauncher(DevelopSettings settings, Workspace workspace, SecretMasker masker) {
    this.settings = settings;
    this.workspace = workspace;
    this.masker = masker;
  }

  public DbtProcess start(String invocationId, List<String> dbtArgs, Consumer<String> lines) {
    Map<String, String> env = environment(invocationId);
    List<String> command = new ArrayList<>();
    command.add(settings.dbtExecutable());
    command.addAll(dbtArgs);
    try {
      return DbtProcess.start(command, workspace.projectDir(), env, masker, lines);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + settings.dbtExecutable() + ": " + e.getMessage(), e);
    }
  }

  public Path projectDir() {
    return workspace.projectDir();
  }

  public Path privateDir() {
    return workspace.privateDir();
  }

  /** The configured environment variables of the session, which dbt sees too. */
  public Map<String, String> configuredEnv() {
    return settings.config().env();
  }

  private Map<String, String> environment(String invocationId) {
    DevelopConfig config = settings.config();
    try {
      String profileName = ProfileWriter.readProfileName(workspace.projectDir());
      Map<String, String> warehouse = ProfileWriter.readSecretDir(settings.warehouseDir());
      warehouse.forEach((key, value) -> {
        if (ProfileWriter.isSecretKey(key)) {
          masker.add(value);
        }
      });
      String target = config.target() == null || config.target().isBlank() ? RunRuntime.DEFAULT_TARGET : config.target();
      int threads = config.threads() > 0 ? config.threads() : RunRuntime.DEFAULT_THREADS;
      ProfileWriter.Profile profile = ProfileWriter.write(profileName, target, config.adapterType(), threads,
          warehouse, workspace.privateDir().resolve("profiles"));
      Map<String, String> env = DbtEnvironment.base(settings.environment(), config.env(), profile.file().getParent());
      env.putAll(profile.secretEnv());
      env.put(INVOCATION_VAR, invocationId);
      return env;
    } catch (IOException e) {
      throw DevelopException.invalid("project_invalid",
          "Cannot prepare dbt: " + masker.mask(String.valueOf(e.getMessage()))
              + ". Check dbt_project.yml (it must exist in the project folder and name a profile).");
    }
  }
}
