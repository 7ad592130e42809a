package dev.dbtplatform.api.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ArtifactContentTypeTest {
  @Test
  void guessesFromTheExtension() {
    assertThat(ArtifactContentType.guess("manifest.json")).isEqualTo("application/json");
    assertThat(ArtifactContentType.guess("Run_Results.JSON")).isEqualTo("application/json");
    assertThat(ArtifactContentType.guess("compiled/models/orders.sql")).isEqualTo("text/plain; charset=utf-8");
    assertThat(ArtifactContentType.guess("dbt.log")).isEqualTo("text/plain; charset=utf-8");
    assertThat(ArtifactContentType.guess("notes.txt")).isEqualTo("text/plain; charset=utf-8");
    assertThat(ArtifactContentType.guess("schema.yml")).isEqualTo("text/plain; charset=utf-8");
    assertThat(ArtifactContentType.guess("graph.gpickle")).isEqualTo("application/octet-stream");
    assertThat(ArtifactContentType.guess("json.d/README")).isEqualTo("application/octet-stream");
  }
}
