package dev.dbtplatform.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResourceNamesTest {
  @ParameterizedTest
  @CsvSource({
      "Nightly build, nightly-build",
      "  --Prod (EU)--  , prod-eu",
      "Café Crème, cafe-creme",
      "dbt_project.v2, dbt-project-v2",
      "???, job",
      "数据, job"})
  void slugsAreDnsLabels(String name, String slug) {
    assertThat(ResourceNames.slug(name, "job")).isEqualTo(slug);
  }

  @Test
  void longNamesAreCutWithoutATrailingDash() {
    String slug = ResourceNames.slug("a".repeat(49) + " b and more", "job");
    assertThat(slug).hasSize(49).isEqualTo("a".repeat(49));
    assertThat(ResourceNames.slug("x".repeat(80), "job")).hasSize(ResourceNames.MAX_LENGTH);
  }

  @Test
  void candidatesCountUpAndStayWithinTheLimit() {
    assertThat(ResourceNames.candidate("shop", 1)).isEqualTo("shop");
    assertThat(ResourceNames.candidate("shop", 2)).isEqualTo("shop-2");
    String longSlug = "y".repeat(ResourceNames.MAX_LENGTH);
    assertThat(ResourceNames.candidate(longSlug, 12)).hasSize(ResourceNames.MAX_LENGTH).endsWith("y-12");
  }
}
