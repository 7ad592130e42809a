package dev.dbtplatform.develop;

import dev.dbtplatform.contract.DevelopConfig;
import dev.dbtplatform.develop.dbt.DbtCommands;
import dev.dbtplatform.develop.dbt.DbtCompiler;
import dev.dbtplatform.develop.dbt.DbtInvoker;
import dev.dbtplatform.develop.dbt.DbtLauncher;
import dev.dbtplatform.develop.dbt.DbtSlot;
import dev.dbtplatform.develop.dbt.PackageInstaller;
import dev.dbtplatform.develop.files.FileService;
import dev.dbtplatform.develop.files.WorkspacePaths;
import dev.dbtplatform.develop.git.GitAccess;
import dev.dbtplatform.develop.git.GitService;
import dev.dbtplatform.develop.http.ApiServices;
import dev.dbtplatform.develop.http.BearerAuth;
import dev.dbtplatform.develop.http.HttpApi;
import dev.dbtplatform.develop.lineage.LineageService;
import dev.dbtplatform.develop.preview.PreviewService;
import dev.dbtplatform.develop.workspace.Workspace;
import dev.dbtplatform.develop.workspace.WorkspaceSetup;
import dev.dbtplatform.runtime.GitCheckout;
import dev.dbtplatform.runtime.SecretMasker;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One user's workspace behind the HTTP API: wires the parts together, starts listening at once and
 * prepares the workspace in the background.
 */
public final class DevelopServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DevelopServer.class);
  /** How long closing waits for a running dbt command to stop (SIGINT, then the process tree). */
  static final Duration STOP_WAIT = Duration.ofSeconds(20);

  private final Javalin app;
  private final WorkspaceSetup setup;
  private final DbtCommands commands;
  private final DbtSlot slot;
  private final Path privateDir;

  private DevelopServer(Javalin app, WorkspaceSetup setup, DbtCommands commands, DbtSlot slot, Path privateDir) {
    this.app = app;
    this.setup = setup;
    this.commands = commands;
    this.slot = slot;
    this.privateDir = privateDir;
  }

  /**
   * @throws IllegalStateException when the token file is missing, or the workspace folder cannot be used
   */
  public static DevelopServer start(DevelopSettings settings) {
    BearerAuth auth = BearerAuth.fromFile(settings.tokenFile());
    DevelopConfig config = settings.config();
    Path privateDir = createPrivateDir();
    try {
      Files.createDirectories(settings.workspace());
      Workspace workspace = new Workspace(settings.workspace(), config.subdirectory(), privateDir);
      SecretMasker masker = new SecretMasker();
      Clock clock = Clock.systemUTC();
      Activity activity = new Activity(clock);
      DbtSlot slot = new DbtSlot(activity, clock);
      DbtLauncher launcher = new DbtLauncher(settings, workspace, masker);
      DbtInvoker invoker = new DbtInvoker(launcher, slot);
      DbtCompiler compiler = new DbtCompiler(invoker);
      DbtCommands commands = new DbtCommands(launcher, slot, clock);
      GitAccess git = GitAccess.create(config, workspace, settings.environment(), settings.gitCredentialsDir(), masker);
      WorkspacePaths paths = new WorkspacePaths(workspace.checkout());
      ApiServices services = new ApiServices(workspace, activity,
          new FileService(paths, workspace.projectPath()),
          new GitService(git.cli(), workspace.checkout(), paths),
          compiler, commands, slot,
          new PreviewService(invoker, launcher),
          new LineageService(launcher, compiler, workspace.projectPath()));
      Javalin app = HttpApi.start(settings.host(), settings.port(), auth, services);
      WorkspaceSetup setup = new WorkspaceSetup(workspace, git, new PackageInstaller(launcher, invoker), masker);
      setup.startInBackground();
      LOG.info("Develop session {}/{} of {} listening on {}:{}", config.namespace(), config.sessionName(), config.user(),
          settings.host(), app.port());
      return new DevelopServer(app, setup, commands, slot, privateDir);
    } catch (IOException | RuntimeException e) {
      deletePrivateDir(privateDir);
      if (e instanceof IllegalArgumentException) {
        throw new IllegalStateException(e.getMessage(), e);
      }
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  public int port() {
    return app.port();
  }

  /** The private folder outside the workspace (profiles.yml, askpass, preview scratch). */
  Path privateDir() {
    return privateDir;
  }

  /** Stops dbt (as a cancel does), the server, and deletes the private folder; the workspace stays. */
  @Override
  public void close() {
    setup.stop();
    commands.cancelAll();
    slot.cancelCurrent();
    long deadline = System.nanoTime() + STOP_WAIT.toNanos();
    while (slot.holder().isPresent() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    app.stop();
    deletePrivateDir(privateDir);
  }

  /** profiles.yml, the askpass script and preview scratch: readable by this user only, never on the volume. */
  private static Path createPrivateDir() {
    try {
      return Files.createTempDirectory("dbt-platform-develop-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a private temporary folder", e);
    }
  }

  private static void deletePrivateDir(Path dir) {
    try {
      GitCheckout.deleteRecursively(dir);
    } catch (IOException e) {
      LOG.warn("Cannot delete {}: {}", dir, e.getMessage());
    }
  }
}
