package dev.dbtplatform.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CronTest {

  // ---- what is accepted ----------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"0 2 * * *", "*/15 * * * *", "0 0-23/2 * * *", "30 4 1,15 * MON-FRI", "0 12 * JAN,jul ?",
      "0 0 ? * 7", "5 4 31 12 0", "  0   2 * * *  ", "0-59/59 23 1-31 1-12 0-7", "0 0 29 2 *", "0 0 30 2 MON"})
  void accepts(String cron) {
    assertThat(Cron.problem(cron)).isEmpty();
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
      "0 0 ?/2 * *|day-of-month",
      "0 0 30 2 *|never run",
      "0 0 31 4,6 *|never run",
      "' '|empty"})
  void refusesNamingTheField(String cron, String mention) {
    assertThat(Cron.problem(cron)).get().asString().contains(mention);
  }

  @Test
  void parseSaysWhatIsWrong() {
    assertThatThrownBy(() -> Cron.parse("61 * * * *"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the minute field '61' is not valid; it takes 0-59, '*', ranges like 1-5, lists like 1,15 "
            + "and steps like */10");
    assertThat(Cron.parse("  0   2 * *  *").expression()).isEqualTo("0 2 * * *");
  }

  // ---- next ----------------------------------------------------------------------------------

  @Test
  void everyFifteenMinutesIsStrictlyAfter() {
    Cron cron = Cron.parse("*/15 * * * *");
    assertThat(cron.next(at("2025-05-10T10:07:30Z"))).isEqualTo(at("2025-05-10T10:15:00Z"));
    assertThat(cron.next(at("2025-05-10T10:15:00Z"))).isEqualTo(at("2025-05-10T10:30:00Z"));
    assertThat(cron.next(at("2025-12-31T23:50:00Z"))).isEqualTo(at("2026-01-01T00:00:00Z"));
  }

  @Test
  void rangesWithSteps() {
    assertThat(fires("10-50/20 * * * *", "2025-05-10T10:00:00Z", 4))
        .containsExactly("2025-05-10T10:10:00Z", "2025-05-10T10:30:00Z", "2025-05-10T10:50:00Z", "2025-05-10T11:10:00Z");
    assertThat(fires("0 0-23/6 * * *", "2025-05-10T00:00:00Z", 4))
        .containsExactly("2025-05-10T06:00:00Z", "2025-05-10T12:00:00Z", "2025-05-10T18:00:00Z", "2025-05-11T00:00:00Z");
    // a single value with a step runs from it to the end of the range
    assertThat(fires("5/20 * * * *", "2025-05-10T10:00:00Z", 4))
        .containsExactly("2025-05-10T10:05:00Z", "2025-05-10T10:25:00Z", "2025-05-10T10:45:00Z", "2025-05-10T11:05:00Z");
  }

  @Test
  void monthEndsSkipShortMonths() {
    assertThat(fires("0 0 31 * *", "2025-01-31T00:00:00Z", 3))
        .containsExactly("2025-03-31T00:00:00Z", "2025-05-31T00:00:00Z", "2025-07-31T00:00:00Z");
    assertThat(fires("0 12 30 * *", "2025-01-30T12:00:00Z", 2))
        .containsExactly("2025-03-30T12:00:00Z", "2025-04-30T12:00:00Z");
    assertThat(fires("59 23 31 12 *", "2025-12-31T23:59:00Z", 1)).containsExactly("2026-12-31T23:59:00Z");
  }

  @Test
  void leapDayComesEveryFourYearsExceptCenturies() {
    Cron leapDay = Cron.parse("0 0 29 2 *");
    assertThat(leapDay.next(at("2025-01-01T00:00:00Z"))).isEqualTo(at("2028-02-29T00:00:00Z"));
    assertThat(leapDay.next(at("2096-03-01T00:00:00Z"))).as("2100 is no leap year").isEqualTo(at("2104-02-29T00:00:00Z"));
    assertThat(leapDay.lastFireAtOrBefore(at("2027-06-01T00:00:00Z"))).isEqualTo(at("2024-02-29T00:00:00Z"));
    assertThat(Cron.parse("0 2 * * *").lastFireAtOrBefore(at("2024-03-01T01:00:00Z")))
        .isEqualTo(at("2024-02-29T02:00:00Z"));
  }

  @Test
  void utcHasNoDaylightSavingGaps() {
    // 30 March 2025 is when Europe moves its clocks, 9 March 2025 the United States: no hour is lost in UTC
    assertThat(Cron.parse("30 2 * * *").next(at("2025-03-30T00:00:00Z"))).isEqualTo(at("2025-03-30T02:30:00Z"));
    assertThat(fires("0 * * * *", "2025-03-08T23:00:00Z", 24)).hasSize(24).last().isEqualTo("2025-03-09T23:00:00Z");
  }

  @Test
  void bothDayFieldsRestrictedMatchEitherOne() {
    // 13 July 2025 is a Sunday: Fridays and the 13th both fire
    assertThat(fires("0 0 13 * FRI", "2025-07-04T00:00:00Z", 3))
        .containsExactly("2025-07-11T00:00:00Z", "2025-07-13T00:00:00Z", "2025-07-18T00:00:00Z");
    // a day-of-month with a step is restricted too
    assertThat(fires("0 0 */10 * MON", "2025-07-01T00:00:00Z", 4))
        .containsExactly("2025-07-07T00:00:00Z", "2025-07-11T00:00:00Z", "2025-07-14T00:00:00Z", "2025-07-21T00:00:00Z");
  }

  @Test
  void anUnrestrictedDayFieldLeavesTheOtherInCharge() {
    assertThat(fires("0 0 13 * *", "2025-07-01T00:00:00Z", 2)).containsExactly("2025-07-13T00:00:00Z", "2025-08-13T00:00:00Z");
    assertThat(fires("0 0 ? * FRI", "2025-07-01T00:00:00Z", 2)).containsExactly("2025-07-04T00:00:00Z", "2025-07-11T00:00:00Z");
    assertThat(fires("0 0 * * */1", "2025-07-01T00:00:00Z", 2)).containsExactly("2025-07-02T00:00:00Z", "2025-07-03T00:00:00Z");
  }

  @Test
  void sundayIsZeroOrSeven() {
    List<String> sundays = List.of("2025-07-06T00:00:00Z", "2025-07-13T00:00:00Z");
    assertThat(fires("0 0 * * 0", "2025-07-01T00:00:00Z", 2)).isEqualTo(sundays);
    assertThat(fires("0 0 * * 7", "2025-07-01T00:00:00Z", 2)).isEqualTo(sundays);
    assertThat(fires("0 0 * * sun", "2025-07-01T00:00:00Z", 2)).isEqualTo(sundays);
    assertThat(fires("0 0 * * 5-7", "2025-07-01T00:00:00Z", 3))
        .containsExactly("2025-07-04T00:00:00Z", "2025-07-05T00:00:00Z", "2025-07-06T00:00:00Z");
  }

  // ---- lastFireAtOrBefore --------------------------------------------------------------------

  @Test
  void lastFireIncludesTheInstantItself() {
    Cron cron = Cron.parse("0 2 * * *");
    assertThat(cron.lastFireAtOrBefore(at("2025-03-01T02:00:00Z"))).isEqualTo(at("2025-03-01T02:00:00Z"));
    assertThat(cron.lastFireAtOrBefore(at("2025-03-01T02:00:59Z"))).isEqualTo(at("2025-03-01T02:00:00Z"));
    assertThat(cron.lastFireAtOrBefore(at("2025-03-01T01:59:59Z"))).isEqualTo(at("2025-02-28T02:00:00Z"));
    assertThat(Cron.parse("0 0 31 * *").lastFireAtOrBefore(at("2025-07-15T00:00:00Z"))).isEqualTo(at("2025-05-31T00:00:00Z"));
  }

  @Test
  void nextAndLastFireAgreeMinuteByMinute() {
    for (String expression : List.of("*/15 * * * *", "7 */5 * * *", "0 0 13 * FRI", "30 4 1,15 * MON-FRI", "0 0 31 * *")) {
      Cron cron = Cron.parse(expression);
      for (Instant t = at("2025-02-25T00:00:00Z"); t.isBefore(at("2025-03-03T00:00:00Z")); t = t.plus(Duration.ofMinutes(7))) {
        Instant last = cron.lastFireAtOrBefore(t);
        Instant next = cron.next(t);
        assertThat(last).as("%s at %s", expression, t).isBeforeOrEqualTo(t);
        assertThat(cron.next(last)).as("%s: nothing fires between %s and %s", expression, last, t).isAfter(t);
        assertThat(cron.lastFireAtOrBefore(next)).isEqualTo(next);
      }
    }
  }

  private static List<String> fires(String expression, String after, int count) {
    Cron cron = Cron.parse(expression);
    List<String> fires = new ArrayList<>();
    Instant t = at(after);
    for (int i = 0; i < count; i++) {
      t = cron.next(t);
      fires.add(t.toString());
    }
    return fires;
  }

  private static Instant at(String instant) {
    return Instant.parse(instant);
  }
}
