package dev.dbtplatform.local;

import dev.dbtplatform.contract.RunConfig;
import dev.dbtplatform.contract.RuntimeEnv;
import dev.dbtplatform.local.node.FileTrees;
import dev.dbtplatform.local.node.LauncherScripts;
import dev.dbtplatform.local.node.SharedClassArchive;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the launcher scripts' JVMs a class data sharing archive (see {@link SharedClassArchive}),
 * trained by one run of the run runtime: a run pod's JVM start is a good part of the time from a
 * trigger to dbt's first line. The training run clones the sample repository, writes a profile and
 * runs its two steps with {@code true} standing in for dbt, all in a folder of its own: that loads
 * nearly every class a run pod loads before dbt starts. The other commands share the classpath, so
 * they use the same archive for the classes they have in common.
 */
final class LauncherArchive {
  static final String RUN_MAIN = "dev.dbtplatform.runtime.RunMain";
  private static final Logger LOG = LoggerFactory.getLogger(LauncherArchive.class);
  private static final Duration TRAINING_TIMEOUT = Duration.ofMinutes(2);

  private LauncherArchive() {}

  /**
   * Trains the archive and, once it is written, rewrites the scripts to use it; until then (and if
   * it fails) they run without one.
   */
  static void use(Path binDir, Map<String, String> commands, String classpath, String javaExecutable,
      List<String> jvmOptions, String repositoryUrl, Path trainingDir) {
    Path archive = binDir.resolve("launchers.jsa");
    boolean written = SharedClassArchive.create(archive, javaExecutable, classpath, jvmOptions, RUN_MAIN,
        trainingEnv(repositoryUrl, trainingDir), trainingDir.resolve("output.log"), TRAINING_TIMEOUT);
    if (!written) {
      return;
    }
    List<String> options = new ArrayList<>(jvmOptions);
    options.addAll(SharedClassArchive.options(archive));
    try {
      LauncherScripts.write(binDir, commands, classpath, javaExecutable, options);
      FileTrees.deleteRecursively(trainingDir);
    } catch (IOException | RuntimeException e) {
      // the scripts written before still work: only the speed-up is lost
      LOG.warn("cannot switch the launcher scripts to the class archive: {}", e.toString());
    }
  }

  private static Map<String, String> trainingEnv(String repositoryUrl, Path dir) {
    RunConfig config = new RunConfig("0", "training", "training", "0", null, null, null, "class archive training",
        "other", repositoryUrl, null, null, List.of("dbt seed"), null, null, 1, 60, "postgres", Map.of(),
        false, false, null);
    return Map.of(
        RuntimeEnv.RUN_CONFIG, config.toJson(),
        RuntimeEnv.WORKSPACE, dir.resolve("workspace").toString(),
        RuntimeEnv.WAREHOUSE_DIR, dir.resolve("warehouse").toString(),
        RuntimeEnv.GIT_CREDENTIALS_DIR, dir.resolve("git-credentials").toString(),
        RuntimeEnv.TERMINATION_LOG, dir.resolve("termination-log").toString(),
        // exits 0 whatever its arguments: the steps "succeed" without dbt, so no warehouse is needed
        RuntimeEnv.DBT_EXECUTABLE, "true");
  }
}
