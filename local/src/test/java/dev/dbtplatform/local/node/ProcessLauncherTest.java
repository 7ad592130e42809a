package dev.dbtplatform.local.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessLauncherTest {
  @TempDir
  Path dir;

  @Test
  void commandReplacesTheEntrypointAndArgsAreAppended() {
    assertThat(ProcessLauncher.commandLine(new ContainerBuilder().withCommand("run").withArgs("a", "b").build()))
        .containsExactly("run", "a", "b");
    assertThat(ProcessLauncher.commandLine(new ContainerBuilder().withArgs("only", "args").build()))
        .containsExactly("only", "args");
    assertThat(ProcessLauncher.commandLine(new ContainerBuilder().build())).isEmpty();
  }

  @Test
  void resolvesOnPathInOrderAndPathsAsGiven() throws Exception {
    Path first = Files.createDirectories(dir.resolve("first"));
    Path second = Files.createDirectories(dir.resolve("second"));
    Path notExecutable = Files.writeString(first.resolve("tool"), "#!/bin/sh\n");
    Path executable = Files.writeString(second.resolve("tool"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(executable, PosixFilePermissions.fromString("rwxr-xr-x"));

    assertThat(ProcessLauncher.resolveExecutable("tool", first + ":" + second, dir)).isEqualTo(executable);
    Files.setPosixFilePermissions(notExecutable, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(ProcessLauncher.resolveExecutable("tool", first + ":" + second, dir)).isEqualTo(notExecutable);
    assertThat(ProcessLauncher.resolveExecutable("second/tool", "", dir)).isEqualTo(executable);
    assertThatThrownBy(() -> ProcessLauncher.resolveExecutable("absent", first.toString(), dir))
        .isInstanceOf(ProcessLauncher.StartException.class)
        .hasMessage("exec: \"absent\": executable file not found in $PATH");
  }
}
