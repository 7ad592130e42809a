package dev.dbtplatform.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The CRD YAML committed under config/crd/ is exactly what the build generates from the types. */
class CommittedCrdsTest {
  static final java.util.List<String> CRD_FILES = ApiGroup.CRD_FILES;

  @ParameterizedTest
  @FieldSource("CRD_FILES")
  void committedCrdMatchesGenerated(String generatedName) throws IOException {
    Path generated = Path.of("target/classes/META-INF/fabric8", generatedName);
    Path committed = Path.of("../config/crd", CrdFiles.committedName(generatedName));
    assertThat(generated).exists();
    assertThat(committed)
        .as("config/crd is out of date: run `make crds` and commit the result")
        .exists();
    assertThat(Files.readString(committed))
        .as("config/crd/%s differs from the generated CRD: run `make crds` and commit the result", committed.getFileName())
        .isEqualTo(Files.readString(generated));
  }
}
