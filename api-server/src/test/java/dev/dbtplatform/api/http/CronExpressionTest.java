package dev.dbtplatform.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CronExpressionTest {
  @ParameterizedTest
  @ValueSource(strings = {"0 2 * * *", "*/15 * * * *", "0 0-23/2 * * *", "30 4 1,15 * MON-FRI", "0 12 * JAN,jul ?",
      "0 0 ? * 7", "5 4 31 12 0", "  0   2 * * *  ", "0-59/59 23 1-31 1-12 0-7"})
  void accepts(String cron) {
    assertThat(CronExpression.problem(cron)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "0 2 * *|4 fields",
      "0 2 * * * *|6 fields",
      "@daily|1 field",
      "60 * * * *|minute",
      "0 24 * * *|hour",
      "0 0 0 * *|day-of-month",
      "0 0 * 13 *|month",
      "0 0 * * 8|day-of-week",
      "0 0 * * MOON|day-of-week",
      "5-1 * * * *|minute",
      "*/0 * * * *|minute",
      "1,,2 * * * *|minute",
      "? * * * *|minute",
      "0 0 ?/2 * *|day-of-month"})
  void refusesNamingTheField(String cron, String mention) {
    assertThat(CronExpression.problem(cron)).get().asString().contains(mention);
  }
}
