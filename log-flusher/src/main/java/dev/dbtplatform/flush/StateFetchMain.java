package dev.dbtplatform.flush;

import dev.dbtplatform.contract.RunVolumeLayout;
import dev.dbtplatform.contract.RuntimeEnv;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The state fetch, the init container of a deferring run's pod: puts the deferred run's manifest
 * on the run volume ({@link StateFetcher}) and leaves a one-line note beside it saying what it
 * fetched or why it could not.
 *
 * <p>It always exits 0. Without the manifest the run goes on without deferral, as a dbt Cloud
 * job's first run does, and its log carries the note: a store that is down or a manifest that was
 * cleaned up must not keep a scheduled job from running.
 */
public final class StateFetchMain {
  private StateFetchMain() {}

  public static void main(String[] args) {
    System.exit(run(System.getenv(), System.out, System.err, FlushClock.SYSTEM, Backoff.DEFAULT));
  }

  static int run(Map<String, String> env, PrintStream out, PrintStream err, FlushClock clock, Backoff backoff) {
    String note;
    FlushSettings settings = null;
    try {
      settings = FlushSettings.fromEnv(env, RuntimeEnv.STATE_FETCH_CONFIG);
      try (S3Client s3 = FlushMain.s3Client(settings)) {
        note = "fetched " + new StateFetcher(settings, s3, clock, backoff, out, err).fetch();
      }
    } catch (InvalidConfigException e) {
      note = "invalid state fetch configuration: " + e.getMessage();
    } catch (StateFetcher.MissingStateException | FlushFailure e) {
      note = e.getMessage();
    } catch (RuntimeException e) {
      e.printStackTrace(err);
      note = "state fetch failed: " + e;
    }
    err.println(note);
    Path workspace = settings != null ? settings.workspace()
        : Path.of(env.getOrDefault(RuntimeEnv.WORKSPACE, RuntimeEnv.DEFAULT_WORKSPACE));
    try {
      Path file = RunVolumeLayout.deferredStateNote(workspace);
      Files.createDirectories(file.getParent());
      Files.writeString(file, note + "\n", StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      err.println("cannot write the note for the run: " + e);
    }
    return FlushMain.EXIT_OK;
  }
}
