package dev.dbtplatform.local.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PathMapperTest {
  private final PathMapper mapper = PathMapper.of(Map.of(
      "/workspace", Path.of("/local/claim"),
      "/workspace/cache/", Path.of("/local/cache"),
      "/dev/termination-log", Path.of("/local/term"),
      "/", Path.of("/never")));

  @Test
  void mapsExactAndPrefixMatchesLongestFirst() {
    assertThat(mapper.map("/workspace")).isEqualTo("/local/claim");
    assertThat(mapper.map("/workspace/")).isEqualTo("/local/claim/");
    assertThat(mapper.map("/workspace/logs/a.txt")).isEqualTo("/local/claim/logs/a.txt");
    assertThat(mapper.map("/workspace/cache")).isEqualTo("/local/cache");
    assertThat(mapper.map("/workspace/cache/x")).isEqualTo("/local/cache/x");
    assertThat(mapper.map("/dev/termination-log")).isEqualTo("/local/term");
  }

  @Test
  void leavesEverythingElseAlone() {
    assertThat(mapper.map("/workspacefoo")).isEqualTo("/workspacefoo");
    assertThat(mapper.map("--dir=/workspace")).isEqualTo("--dir=/workspace");
    assertThat(mapper.map("/bin/sh")).isEqualTo("/bin/sh");
    assertThat(mapper.map("workspace")).isEqualTo("workspace");
    assertThat(mapper.mapAll(List.of("sh", "-c", "/workspace/run.sh"))).containsExactly("sh", "-c", "/local/claim/run.sh");
  }
}
