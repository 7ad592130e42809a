package dev.dbtplatform.local.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedClassArchiveTest {
  @TempDir
  Path dir;

  @Test
  void aTrainingRunWritesAnArchiveThatLaunchedJvmsUseQuietly() throws Exception {
    Path archive = dir.resolve("bin/launchers.jsa");
    List<String> jvmOptions = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    // archived classes must come from jars: a class folder could change under the archive
    String classpath = jarOf(PrintArgs.class).toString();

    boolean written = SharedClassArchive.create(archive, LauncherScripts.currentJava(), classpath, jvmOptions,
        PrintArgs.class.getName(), Map.of("PRINT_ARGS_ENV", "training"), dir.resolve("training/output.log"),
        Duration.ofMinutes(1));

    assertThat(written).as(Files.readString(dir.resolve("training/output.log"))).isTrue();
    List<String> options = new ArrayList<>(jvmOptions);
    options.addAll(SharedClassArchive.options(archive));
    LauncherScripts.write(dir.resolve("bin"), Map.of("print-args", PrintArgs.class.getName()), classpath,
        LauncherScripts.currentJava(), options);
    assertThat(run(dir.resolve("bin/print-args"))).isEqualTo("args=a|b\nenv=null\n");

    // an archive that no longer fits the classpath costs the speed-up, and says nothing in the output
    LauncherScripts.write(dir.resolve("bin"), Map.of("print-args", PrintArgs.class.getName()),
        classpath + ":" + dir.resolve("added.jar"), LauncherScripts.currentJava(), options);
    assertThat(run(dir.resolve("bin/print-args"))).isEqualTo("args=a|b\nenv=null\n");
  }

  @Test
  void noArchiveWhenTheClassesComeFromAFolder() throws Exception {
    assertThat(SharedClassArchive.create(dir.resolve("a.jsa"), LauncherScripts.currentJava(),
        LauncherScriptsTest.testClasspath(), List.of(), PrintArgs.class.getName(), Map.of(), dir.resolve("output.log"),
        Duration.ofMinutes(1))).isFalse();
    assertThat(dir.resolve("a.jsa")).doesNotExist();
  }

  @Test
  void noTrainingRunWhenAClassFolderComesBeforeTheMainClass() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("folder/x"));
    Files.writeString(folder.resolve("Some.class"), "");
    String jar = jarOf(PrintArgs.class).toString();

    assertThat(SharedClassArchive.create(dir.resolve("a.jsa"), LauncherScripts.currentJava(),
        dir.resolve("folder") + ":" + jar, List.of(), PrintArgs.class.getName(), Map.of(),
        dir.resolve("training/output.log"), Duration.ofMinutes(1))).isFalse();
    assertThat(dir.resolve("training/output.log")).as("the training run never started").doesNotExist();

    // a folder after the main class's jar (make run has one at the end), or an empty one before, does no harm
    assertThat(SharedClassArchive.classFolderBefore(jar + ":" + dir.resolve("folder"), PrintArgs.class.getName()))
        .isEmpty();
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThat(SharedClassArchive.classFolderBefore(empty + ":" + jar, PrintArgs.class.getName())).isEmpty();
    assertThat(SharedClassArchive.classFolderBefore(dir.resolve("folder") + ":" + jar, PrintArgs.class.getName()))
        .contains(dir.resolve("folder"));
  }

  @Test
  void noArchiveWhenTheTrainingRunCannotStart() {
    assertThat(SharedClassArchive.create(dir.resolve("a.jsa"), dir.resolve("no-java").toString(), "", List.of(),
        "x.Main", Map.of(), dir.resolve("output.log"), Duration.ofSeconds(10))).isFalse();
    assertThat(dir.resolve("a.jsa")).doesNotExist();
  }

  private Path jarOf(Class<?> type) throws Exception {
    Path jar = dir.resolve("classes.jar");
    String entry = type.getName().replace('.', '/') + ".class";
    try (var in = type.getClassLoader().getResourceAsStream(entry);
         var out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry(entry));
      in.transferTo(out);
      out.closeEntry();
    }
    return jar;
  }

  private static String run(Path script) throws Exception {
    Process p = new ProcessBuilder(script.toString(), "a", "b").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out;
  }
}
