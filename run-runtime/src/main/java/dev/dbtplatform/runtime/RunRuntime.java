package dev.dbtplatform.runtime;

import dev.dbtplatform.contract.CheckboxSteps;
import dev.dbtplatform.contract.RunConfig;
import dev.dbtplatform.contract.RunOutcome;
import dev.dbtplatform.contract.RunSummary;
import dev.dbtplatform.contract.RunVolumeLayout;
import dev.dbtplatform.contract.RuntimeEnv;
import dev.dbtplatform.contract.StepMarkers;
import dev.dbtplatform.contract.StepNames;
import dev.dbtplatform.contract.StepStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One run: clone, profile, {@code dbt deps} when the project has packages, then the run's dbt
 * commands, each a numbered step with its own log and artifacts; at the end the summary. The
 * first step that does not succeed ends the run and the later ones are skipped.
 *
 * <p>{@link #run()} runs on the main thread; {@link #terminate()} is for the SIGTERM hook.
 */
public final class RunRuntime {
  /**
   * How long the SIGTERM hook waits for the main thread to stop dbt (10 s grace + kill) and write
   * the summary. Kubernetes sends SIGKILL 30 s after SIGTERM by default.
   */
  static final Duration TERMINATION_WAIT = Duration.ofSeconds(25);
  static final String DEPS_COMMAND = StepNames.DEPS_COMMAND;
  public static final int DEFAULT_THREADS = 4;
  public static final String DEFAULT_TARGET = "default";

  private final RunSettings settings;
  private final RunControl control = new RunControl();
  private final RunState state = new RunState();
  private final SecretMasker masker = new SecretMasker();
  private final LogSink console;

  // Set as the steps go.
  private RunConfig config;
  private Path projectDir;
  private Path scratchDir;
  private Map<String, String> dbtEnv;

  public RunRuntime(RunSettings settings) {
    this.settings = settings;
    this.console = LogSink.stdoutOnly(settings.out(), masker);
  }

  /** How a run ended: its summary and the process exit code. */
  private record Ending(RunSummary summary, int exitCode) {}

  /** How one step ended. @param failure what went wrong, for the summary message */
  private record StepEnd(StepStatus status, Integer exitCode, String failure) {}

  /** Runs everything, writes the summary and returns the exit code. Never throws. */
  public int run() {
    Ending ending;
    try {
      ending = execute();
    } catch (Throwable e) { // a bug or a broken volume: still tell the operator something
      console.info("Internal error: " + e);
      String message = "The run runtime failed: " + e.getMessage();
      ending = new Ending(state.summary(RunOutcome.Failed, "InternalError", masker.mask(message), StepStatus.Failed),
          RuntimeEnv.EXIT_STEP_FAILED);
    }
    try {
      SummaryWriter.write(ending.summary(), settings.workspace(), settings.terminationLog(), console);
      console.info(ending.summary().message());
      return ending.exitCode();
    } finally {
      deleteScratch();
      control.markFinished();
    }
  }

  /**
   * For the SIGTERM hook: asks the main thread to stop dbt and waits until it has written the
   * summary. Should the main thread not manage in time, writes a Cancelled summary itself.
   */
  public void terminate() {
    if (!control.requestTermination()) {
      return; // the run finished: this is the JVM exiting normally
    }
    console.info("Received SIGTERM, stopping the run");
    if (control.awaitFinished(TERMINATION_WAIT)) {
      return;
    }
    console.info("The run did not stop in " + TERMINATION_WAIT.toSeconds() + "s, writing the summary now");
    Process process = control.currentProcess();
    if (process != null) {
      ProcessTree.stop(process.toHandle(), Duration.ZERO);
    }
    RunSummary summary = state.summary(RunOutcome.Cancelled, "Terminated",
        "The run was cancelled (SIGTERM) and did not stop in time", StepStatus.Cancelled);
    SummaryWriter.write(summary, settings.workspace(), settings.terminationLog(), console);
  }

  /** True once SIGTERM asked the run to stop: the JVM is shutting down and exits with 143. */
  public boolean terminationRequested() {
    return control.terminationRequested();
  }

  private Ending execute() throws IOException {
    List<Step> commands;
    try {
      config = parseConfig(settings.runConfigJson());
      commands = parseSteps(config);
      projectDir = projectDir(settings.workspace(), config.subdirectory());
    } catch (IllegalArgumentException e) {
      String message = "Invalid run config: " + e.getMessage();
      return new Ending(state.summary(RunOutcome.Failed, "InvalidConfig", masker.mask(message), StepStatus.Skipped),
          RuntimeEnv.EXIT_INVALID_CONFIG);
    }
    control.setTimeout(config.timeoutSeconds());
    console.info("Run " + orUnknown(config.runId()) + " of " + orUnknown(config.namespace()) + "/"
        + orUnknown(config.runName()) + ": "
        + commands.size() + " dbt command(s)"
        + (config.timeoutSeconds() > 0 ? ", timeout " + config.timeoutSeconds() + "s" : ""));

    state.add(Step.gitClone());
    state.add(Step.profile(config.adapterType()));
    commands.forEach(state::add);
    scratchDir = Files.createTempDirectory("dbt-platform-run-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));

    // state.size() grows when the clone finds packages and adds the deps step.
    for (int i = 0; i < state.size(); i++) {
      Step step = state.get(i);
      RunControl.Stop stop = control.stopRequested();
      if (stop != null) {
        // Stopped between two steps: this one never started.
        StepEnd end = stopped(stop);
        state.finish(step, end.status(), null);
        try (LogSink log = LogSink.toFile(RunVolumeLayout.stepLog(settings.workspace(), step.index), settings.out(), masker)) {
          log.info("Step " + step.index + " " + describe(end) + " before it started");
        }
        markFinished(step);
        return end(step, end);
      }
      StepEnd end = runStep(step);
      if (end.status() == StepStatus.Failed && !step.failsRun) {
        console.info("Step " + step.index + " (" + step.name + ") failed; as in dbt Cloud this step does not fail the run");
        continue;
      }
      if (end.status() != StepStatus.Succeeded) {
        return end(step, end);
      }
    }
    return new Ending(state.summary(RunOutcome.Succeeded, null, successMessage(), StepStatus.Succeeded),
        RuntimeEnv.EXIT_SUCCEEDED);
  }

  private String successMessage() {
    List<String> failed = new ArrayList<>();
    for (int i = 0; i < state.size(); i++) {
      if (state.get(i).status == StepStatus.Failed) {
        failed.add("step " + state.get(i).index + " (" + state.get(i).name + ")");
      }
    }
    String time = " in " + seconds(elapsed());
    return failed.isEmpty() ? "All " + state.size() + " steps succeeded" + time
        : "The run succeeded" + time + "; " + String.join(" and ", failed) + " failed without failing the run";
  }

  /** Says what the run defers to and whether its manifest arrived (the init container fetched it). */
  private void logDeferral(LogSink log) {
    if (config.deferral() == null) {
      return;
    }
    Path manifest = RunVolumeLayout.deferredManifest(settings.workspace());
    String note = readNote(RunVolumeLayout.deferredStateNote(settings.workspace()));
    if (Files.isRegularFile(manifest)) {
      log.info("Deferring to " + config.deferral() + ": dbt commands run with --defer --state "
          + manifest.getParent() + (note == null ? "" : " (" + note + ")"));
    } else {
      log.info("No state to defer to (" + config.deferral() + (note == null ? "" : "; " + note)
          + "): dbt commands run without --defer");
    }
  }

  private static String readNote(Path file) {
    try {
      return Files.isRegularFile(file) ? Files.readString(file).strip() : null;
    } catch (IOException e) {
      return "cannot read " + file + ": " + e.getMessage();
    }
  }

  private StepEnd runStep(Step step) throws IOException {
    long started = System.nanoTime();
    try (LogSink log = LogSink.toFile(RunVolumeLayout.stepLog(settings.workspace(), step.index), settings.out(), masker)) {
      state.start(step);
      markStarted(step);
      log.info("Step " + step.index + ": " + step.name);
      StepEnd end;
      try {
        end = switch (step.kind) {
          case CLONE -> cloneStep(log);
          case PROFILE -> profileStep(log);
          case DBT -> dbtStep(step, log);
        };
      } catch (IOException e) {
        log.info("Step " + step.index + " failed: " + e.getMessage());
        end = new StepEnd(StepStatus.Failed, null, e.getMessage());
      }
      state.finish(step, end.status(), end.exitCode());
      log.info("Step " + step.index + " " + describe(end) + " in " + seconds(System.nanoTime() - started));
      markFinished(step);
      return end;
    }
  }

  /** Where a step's output begins in the pod log, for readers that split it by step. */
  private void markStarted(Step step) {
    console.marker(StepMarkers.started(step.index, state.size(), masker.mask(step.name), step.startedAt));
  }

  /** Where a step's output ends and how the step ended; a step that never ran gets only this marker. */
  private void markFinished(Step step) {
    console.marker(StepMarkers.finished(step.index, state.size(), step.status, step.exitCode,
        step.finishedAt == null ? Instant.now() : step.finishedAt));
  }

  private StepEnd cloneStep(LogSink log) throws IOException {
    try {
      GitCheckout git = new GitCheckout(settings.environment(), settings.gitCredentialsDir(), scratchDir, masker, log, control);
      GitCheckout.Result checkout = git.checkout(config.gitUrl(), config.gitRef(),
          settings.workspace().resolve(RunVolumeLayout.PROJECT_DIR));
      state.setGit(checkout.sha(), checkout.branch());
    } catch (GitCheckout.GitException e) {
      log.info(e.getMessage());
      return new StepEnd(StepStatus.Failed, null, e.getMessage());
    } catch (GitCheckout.StoppedException e) {
      return stopped(e.stop);
    }
    for (String file : List.of("packages.yml", "dependencies.yml")) {
      if (Files.isRegularFile(projectDir.resolve(file))) {
        state.insertAfter(2, Step.dbt(StepCommand.parse(DEPS_COMMAND)));
        log.info("The project has " + file + ": `" + DEPS_COMMAND + "` runs as step 3");
        break;
      }
    }
    return new StepEnd(StepStatus.Succeeded, null, null);
  }

  private StepEnd profileStep(LogSink log) throws IOException {
    String profileName = ProfileWriter.readProfileName(projectDir);
    Map<String, String> warehouse = ProfileWriter.readSecretDir(settings.warehouseDir());
    warehouse.forEach((key, value) -> {
      if (ProfileWriter.isSecretKey(key)) {
        masker.add(value);
      }
    });
    if (warehouse.isEmpty()) {
      log.info("No connection keys found in " + settings.warehouseDir());
    }
    String target = blankTo(config.target(), DEFAULT_TARGET);
    if (config.schema() != null && !config.schema().isBlank()) {
      // dbt Cloud's schema override: the run builds into another schema than the connection's.
      warehouse.put("bigquery".equals(config.adapterType()) ? "dataset" : "schema", config.schema());
    }
    int threads = config.threads() > 0 ? config.threads() : DEFAULT_THREADS;
    ProfileWriter.Profile profile = ProfileWriter.write(profileName, target, config.adapterType(), threads,
        warehouse, scratchDir.resolve("profiles"));
    log.info("Profile " + profileName + ", target " + target + ", " + config.adapterType() + " with " + threads
        + " threads: " + String.join(", ", profile.keys()));
    dbtEnv = DbtEnvironment.build(settings.environment(), config, profile.file().getParent(),
        state.gitSha(), state.gitBranch(), profile.secretEnv());
    logDeferral(log);
    return new StepEnd(StepStatus.Succeeded, null, null);
  }

  private StepEnd dbtStep(Step step, LogSink log) throws IOException {
    ArtifactCollector artifacts = ArtifactCollector.forProject(projectDir, dbtEnv);
    artifacts.deleteStale();
    ProcessRunner.Result result;
    try {
      StepCommand command = commandOf(step);
      if (command != step.command) {
        log.info("With the deferred state: dbt " + String.join(" ", command.dbtArgs()));
      }
      result = ProcessRunner.run(command.commandLine(settings.dbtExecutable()), projectDir, dbtEnv, log, control);
    } finally {
      // Whatever dbt wrote, also when it failed: run_results.json says what failed.
      try {
        artifacts.copyTo(RunVolumeLayout.stepArtifacts(settings.workspace(), step.index));
      } catch (IOException e) {
        log.info("Cannot copy the artifacts: " + e.getMessage());
      }
    }
    if (result.stoppedBy() != null) {
      StepEnd stopped = stopped(result.stoppedBy());
      return new StepEnd(stopped.status(), result.exitCode(), null);
    }
    if (result.exitCode() != 0) {
      return new StepEnd(StepStatus.Failed, result.exitCode(), "dbt exited with code " + result.exitCode());
    }
    return new StepEnd(StepStatus.Succeeded, 0, null);
  }

  /** The step's command, comparing against the deferred state when there is one. */
  private StepCommand commandOf(Step step) {
    Path manifest = RunVolumeLayout.deferredManifest(settings.workspace());
    return config.deferral() != null && Files.isRegularFile(manifest)
        ? step.command.deferringTo(manifest.getParent().toString()) : step.command;
  }

  /** The run's ending after {@code step} did not succeed; later steps get a one-line log saying so. */
  private Ending end(Step step, StepEnd end) {
    String where = "step " + step.index + " (" + step.name + ")";
    Ending ending = switch (end.status()) {
      case TimedOut -> new Ending(state.summary(RunOutcome.TimedOut, "Timeout",
          "The run timed out after " + control.timeoutSeconds() + "s in " + where, StepStatus.TimedOut),
          RuntimeEnv.EXIT_TIMED_OUT);
      case Cancelled -> new Ending(state.summary(RunOutcome.Cancelled, "Terminated",
          "The run was cancelled (SIGTERM) in " + where, StepStatus.Cancelled),
          RuntimeEnv.EXIT_TERMINATED);
      default -> new Ending(state.summary(RunOutcome.Failed, failureReason(step),
          masker.mask("Step " + step.index + " failed: " + step.name
              + (end.failure() == null ? "" : ": " + end.failure())), StepStatus.Failed),
          RuntimeEnv.EXIT_STEP_FAILED);
    };
    writeSkippedLogs(step);
    return ending;
  }

  private void writeSkippedLogs(Step cause) {
    for (int i = cause.index; i < state.size(); i++) {
      Step skipped = state.get(i);
      try (LogSink log = LogSink.toFile(RunVolumeLayout.stepLog(settings.workspace(), skipped.index), settings.out(), masker)) {
        log.info("Step " + skipped.index + " skipped: step " + cause.index + " " + describe(cause.status));
      } catch (IOException e) {
        console.info("Cannot write the log of step " + skipped.index + ": " + e.getMessage());
      }
      markFinished(skipped);
    }
  }

  private static String failureReason(Step step) {
    return switch (step.kind) {
      case CLONE -> "CloneFailed";
      case PROFILE -> "ProfileFailed";
      case DBT -> "StepFailed";
    };
  }

  private static StepEnd stopped(RunControl.Stop stop) {
    return new StepEnd(stop == RunControl.Stop.TIMEOUT ? StepStatus.TimedOut : StepStatus.Cancelled, null, null);
  }

  static RunConfig parseConfig(String json) {
    if (json == null || json.isBlank()) {
      throw new IllegalArgumentException(RuntimeEnv.RUN_CONFIG + " is not set");
    }
    RunConfig config = RunConfig.fromJson(json);
    if (config == null) {
      throw new IllegalArgumentException(RuntimeEnv.RUN_CONFIG + " is not a JSON object");
    }
    if (config.gitUrl() == null || config.gitUrl().isBlank()) {
      throw new IllegalArgumentException("gitUrl is missing");
    }
    if (config.adapterType() == null || config.adapterType().isBlank()) {
      throw new IllegalArgumentException("adapterType is missing");
    }
    if (config.timeoutSeconds() < 0) {
      throw new IllegalArgumentException("timeoutSeconds is negative");
    }
    return config;
  }

  /** The dbt steps: the listed ones, with dbt Cloud's checkbox steps before and after them. */
  static List<Step> parseSteps(RunConfig config) {
    if (config.steps().isEmpty()) {
      throw new IllegalArgumentException("the run has no steps");
    }
    List<Step> steps = new ArrayList<>();
    if (config.sourceFreshness()) {
      steps.add(Step.lenientDbt(StepCommand.parse(CheckboxSteps.SOURCE_FRESHNESS)));
    }
    for (int i = 0; i < config.steps().size(); i++) {
      try {
        steps.add(Step.dbt(StepCommand.parse(config.steps().get(i))));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("step " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    if (config.generateDocs()) {
      steps.add(Step.lenientDbt(StepCommand.parse(CheckboxSteps.DOCS_GENERATE)));
    }
    return steps;
  }

  /** The dbt project folder; the subdirectory must stay inside the checkout. */
  public static Path projectDir(Path workspace, String subdirectory) {
    Path checkout = workspace.resolve(RunVolumeLayout.PROJECT_DIR);
    if (subdirectory == null || subdirectory.isBlank()) {
      return checkout;
    }
    Path relative = Path.of(subdirectory).normalize();
    if (relative.isAbsolute() || relative.startsWith("..")) {
      throw new IllegalArgumentException("subdirectory must be a folder inside the repository: " + subdirectory);
    }
    return checkout.resolve(relative);
  }

  private static String describe(StepEnd end) {
    String text = describe(end.status());
    return end.exitCode() != null && end.exitCode() != 0 ? text + " (exit code " + end.exitCode() + ")" : text;
  }

  private static String describe(StepStatus status) {
    return switch (status) {
      case Succeeded -> "succeeded";
      case Failed -> "failed";
      case TimedOut -> "timed out";
      case Cancelled -> "was cancelled";
      default -> status.name().toLowerCase(Locale.ROOT);
    };
  }

  private long elapsed() {
    return Duration.between(state.startedAt(), Instant.now()).toNanos();
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1fs", nanos / 1e9);
  }

  private static String orUnknown(String value) {
    return value == null ? "?" : value;
  }

  private static String blankTo(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }

  private void deleteScratch() {
    if (scratchDir != null) {
      try {
        GitCheckout.deleteRecursively(scratchDir);
      } catch (IOException e) {
        console.info("Cannot delete " + scratchDir + ": " + e.getMessage());
      }
    }
  }
}
