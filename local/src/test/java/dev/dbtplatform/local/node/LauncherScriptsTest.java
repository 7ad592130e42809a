package dev.dbtplatform.local.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherScriptsTest {
  @TempDir
  Path dir;

  static String testClasspath() throws Exception {
    return Path.of(PrintArgs.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  @Test
  void writesRunnableScripts() throws Exception {
    Path bin = dir.resolve("with space's/bin");
    List<Path> scripts = LauncherScripts.write(bin, Map.of("print-args", PrintArgs.class.getName()),
        testClasspath(), LauncherScripts.currentJava());

    assertThat(scripts).containsExactly(bin.resolve("print-args"));
    assertThat(bin.resolve("print-args")).isExecutable();
    ProcessBuilder pb = new ProcessBuilder(bin.resolve("print-args").toString(), "one", "two words", "$HOME")
        .redirectErrorStream(true);
    pb.environment().put("PRINT_ARGS_ENV", "passed");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(out).contains("args=one|two words|$HOME").contains("env=passed");
  }

  @Test
  void quotesForSh() {
    assertThat(LauncherScripts.quote("it's")).isEqualTo("'it'\\''s'");
    assertThat(LauncherScripts.script("a.Main", "/x:/y", "/usr/bin/java", List.of("-Xmx64m")))
        .endsWith("exec '/usr/bin/java' '-Xmx64m' -cp '/x:/y' 'a.Main' \"$@\"\n")
        .startsWith("#!/bin/sh\n");
  }

  @Test
  void replacesExistingScripts() throws Exception {
    LauncherScripts.write(dir, Map.of("cmd", "a.First"), "/cp", "/java");
    LauncherScripts.write(dir, Map.of("cmd", "a.Second"), "/cp", "/java");
    assertThat(Files.readString(dir.resolve("cmd"))).contains("'a.Second'").doesNotContain("'a.First'");
    assertThat(Files.list(dir)).hasSize(1);
  }
}
