package dev.dbtplatform.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretMaskerTest {
  @Test
  void masksEverySecretLongestFirst() {
    SecretMasker masker = new SecretMasker();
    masker.add("abc");
    masker.add("abcdef");
    masker.add(" ");
    masker.add(null);
    assertThat(masker.mask("x abcdef y abc z")).isEqualTo("x ***** y ***** z");
    assertThat(masker.mask("nothing here")).isEqualTo("nothing here");
  }

  @Test
  void masksEachLineOfAMultiLineSecret() {
    SecretMasker masker = new SecretMasker();
    masker.add("-----BEGIN KEY-----\nMIIEvQIBADANBg\n-----END KEY-----\n");
    assertThat(masker.mask("key line MIIEvQIBADANBg leaked")).isEqualTo("key line ***** leaked");
  }

  @Test
  void logSinkMasksFileAndStdout(@TempDir Path dir) throws Exception {
    SecretMasker masker = new SecretMasker();
    masker.add("hunter2");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    Path file = dir.resolve("logs/step-1.log");
    try (LogSink log = LogSink.toFile(file, new PrintStream(stdout, true, StandardCharsets.UTF_8), masker)) {
      log.line("password is hunter2");
      log.info("again hunter2");
    }
    assertThat(Files.readString(file)).contains("password is *****").contains("again *****").doesNotContain("hunter2");
    assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("password is *****").doesNotContain("hunter2");
  }
}
