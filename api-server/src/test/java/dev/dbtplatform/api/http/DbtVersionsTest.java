package dev.dbtplatform.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DbtVersionsTest {
  @ParameterizedTest
  @CsvSource(nullValues = "null", value = {
      "1.11, 1.11", "1.11.2, 1.11.2", "1.7.0-latest, 1.7", "1.9.0-pre, 1.9", "1.7.3-latest, 1.7",
      "versionless, null", "latest, null", "Versionless, null", "compatible, null", "'', null"})
  void mapsToTheSpecVersion(String written, String spec) {
    assertThat(parse(written).specVersion()).isEqualTo(spec);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "one", "1.7.0-nightly", "v1.7", "1.7.0.1", "latest-fusion-x"})
  void refusesWhatIsNoVersion(String written) {
    assertThatThrownBy(() -> parse(written)).isInstanceOf(ApiException.class).hasMessageContaining("'dbt_version'");
  }

  @Test
  void showsWhatTheClientWroteWhileTheSpecStillMatches() {
    assertThat(DbtVersions.shown("1.7.0-latest", "1.7")).isEqualTo("1.7.0-latest");
    assertThat(DbtVersions.shown("versionless", null)).isEqualTo("versionless");
    assertThat(DbtVersions.shown("1.7.0-latest", "1.8")).isEqualTo("1.8");
    assertThat(DbtVersions.shown("versionless", "1.8")).isEqualTo("1.8");
    assertThat(DbtVersions.shown(null, "1.8")).isEqualTo("1.8");
    assertThat(DbtVersions.shown(null, null)).isNull();
  }

  private static DbtVersions.Requested parse(String written) {
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("dbt_version", written);
    return DbtVersions.parse(JsonBody.of(body), "dbt_version");
  }
}
