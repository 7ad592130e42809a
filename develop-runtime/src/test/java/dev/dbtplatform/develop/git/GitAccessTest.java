package dev.dbtplatform.develop.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbtplatform.contract.DevelopConfig;
import dev.dbtplatform.develop.workspace.Workspace;
import dev.dbtplatform.runtime.SecretMasker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitAccessTest {
  @TempDir
  Path dir;

  @Test
  void credentialsInTheUrlAreKeptPrivatelyForLaterPullsAndPushes() throws Exception {
    Path privateDir = Files.createDirectory(dir.resolve("private"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    DevelopConfig config = new DevelopConfig("1", "ns", "s", "Ada", null, "https://ada:p%40ss%2Fw0rd@git.example.invalid/shop.git",
        null, null, "dev", 1, "postgres", Map.of(), 0);
    SecretMasker masker = new SecretMasker();

    GitAccess.create(config, new Workspace(dir.resolve("volume"), null, privateDir), Map.of(), dir.resolve("none"), masker);

    Path credentials = privateDir.resolve("git-credentials");
    assertThat(Files.readString(credentials.resolve("username"))).isEqualTo("ada");
    assertThat(Files.readString(credentials.resolve("password"))).isEqualTo("p@ss/w0rd");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials))).isEqualTo("rwx------");
    assertThat(masker.mask("fatal: p@ss/w0rd rejected")).doesNotContain("p@ss/w0rd");
    assertThat(dir.resolve("volume")).doesNotExist();
  }

  @Test
  void userInfoIsPercentDecodedAsGitDoes() {
    assertThat(GitAccess.percentDecode("a%2Bb+c%3A%")).isEqualTo("a+b+c:%");
    assertThat(GitAccess.percentDecode("%C3%A9t%C3%A9")).isEqualTo("été");
  }
}
