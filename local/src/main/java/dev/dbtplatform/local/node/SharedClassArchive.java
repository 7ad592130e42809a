package dev.dbtplatform.local.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A class data sharing archive (AppCDS) for the JVMs the launcher scripts start. Every pod
 * command is a new JVM that, before running a line of its own, spends a few hundred milliseconds
 * finding, parsing and verifying the same classes the last one did; with an archive made once by
 * a training run, it maps them in ready-made instead. An archive fits one JDK and one classpath;
 * any main class on that classpath can use it.
 */
public final class SharedClassArchive {
  private static final Logger LOG = LoggerFactory.getLogger(SharedClassArchive.class);

  private SharedClassArchive() {}

  /**
   * The JVM options that use {@code archive}. Quietly: an archive that no longer fits (a jar
   * rebuilt while the platform runs) costs only the speed-up, and the JVM's warning about it would
   * land in a pod's log.
   */
  public static List<String> options(Path archive) {
    return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
  }

  /**
   * Runs {@code mainClass} once with {@code -XX:ArchiveClassesAtExit}, {@code env} on top of this
   * JVM's environment and its output in {@code outputFile}; the archive holds the classes the
   * run loaded, however it ended. Only classes from jars can be archived: the JVM writes nothing
   * when one it loaded came from a class folder.
   *
   * @return whether the archive was written
   */
  public static boolean create(Path archive, String javaExecutable, String classpath, List<String> jvmOptions,
      String mainClass, Map<String, String> env, Path outputFile, Duration timeout) {
    Optional<Path> folder = classFolderBefore(classpath, mainClass);
    if (folder.isPresent()) {
      // the training run would load its main class after the folder, and the JVM would write nothing
      LOG.info("no class archive: the class folder {} comes before {} on the classpath (as under a test runner); "
          + "pods start without it", folder.get(), mainClass);
      return false;
    }
    List<String> command = new ArrayList<>();
    command.add(javaExecutable);
    command.addAll(jvmOptions);
    command.add("-XX:ArchiveClassesAtExit=" + archive);
    command.addAll(List.of("-cp", classpath, mainClass));
    try {
      Files.deleteIfExists(archive);
      Files.createDirectories(archive.toAbsolutePath().getParent());
      Files.createDirectories(outputFile.getParent());
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(outputFile.toFile()).redirectInput(new java.io.File("/dev/null"));
      builder.environment().putAll(env);
      Process training = builder.start();
      if (!training.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        training.destroyForcibly();
        LOG.warn("the class archive's training run of {} took over {} s: pods start without the archive",
            mainClass, timeout.toSeconds());
        return false;
      }
    } catch (IOException e) {
      LOG.warn("cannot make a class archive ({}): pods start without it", e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    boolean written = Files.isRegularFile(archive);
    if (!written) {
      // the JVM refuses when an archived class would come from a class folder, as under a test runner
      LOG.info("the JVM wrote no class archive (its output is in {}): pods start without it", outputFile);
    }
    return written;
  }

  /**
   * The first non-empty class folder on {@code classpath} before the entry that holds
   * {@code mainClass}, if any. The JVM archives classes only when no non-empty folder comes before
   * the last classpath entry it loaded a class from; a folder after them (as {@code make run} has
   * one at the end) does no harm.
   */
  static Optional<Path> classFolderBefore(String classpath, String mainClass) {
    String entry = mainClass.replace('.', '/') + ".class";
    Path firstFolder = null;
    for (String part : classpath.split(java.io.File.pathSeparator)) {
      if (part.isEmpty()) {
        continue;
      }
      Path path = Path.of(part);
      if (Files.isDirectory(path)) {
        if (Files.isRegularFile(path.resolve(entry))) {
          return Optional.ofNullable(firstFolder != null ? firstFolder : path);
        }
        if (firstFolder == null && !isEmpty(path)) {
          firstFolder = path;
        }
      } else if (holds(path, entry)) {
        return Optional.ofNullable(firstFolder);
      }
    }
    return Optional.empty(); // not found: let the training run say what is wrong
  }

  private static boolean isEmpty(Path folder) {
    try (var children = Files.list(folder)) {
      return children.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean holds(Path jar, String entry) {
    if (!Files.isRegularFile(jar)) {
      return false;
    }
    try (JarFile file = new JarFile(jar.toFile())) {
      return file.getEntry(entry) != null;
    } catch (IOException e) {
      return false;
    }
  }
}
