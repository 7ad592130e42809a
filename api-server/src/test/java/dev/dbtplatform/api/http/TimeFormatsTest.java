package dev.dbtplatform.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written timestamp and duration forms say exactly what the formatters they replace said. */
class TimeFormatsTest {
  private static final DateTimeFormatter DBT_CLOUD = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx");

  @Test
  void timestampsAreDbtCloudsFormInUtc() {
    assertThat(AccountsApi.timestamp(OffsetDateTime.parse("2024-05-01T14:00:00.123456789+02:00")))
        .isEqualTo("2024-05-01 12:00:00.123456+00:00");
    assertThat(AccountsApi.timestamp(OffsetDateTime.parse("0999-01-02T03:04:05Z")))
        .isEqualTo("0999-01-02 03:04:05.000000+00:00");
    assertThat(AccountsApi.timestamp(null)).isNull();
    Random random = new Random(7);
    for (int i = 0; i < 10_000; i++) {
      OffsetDateTime t = OffsetDateTime.ofInstant(java.time.Instant.ofEpochSecond(
          random.nextLong(-62_000_000_000L, 253_000_000_000L), random.nextInt(1_000_000_000)),
          ZoneOffset.ofHours(random.nextInt(-12, 13)));
      assertThat(AccountsApi.timestamp(t)).isEqualTo(t.withOffsetSameInstant(ZoneOffset.UTC).format(DBT_CLOUD));
    }
  }

  @Test
  void durationsAreHoursMinutesSeconds() {
    assertThat(RunJson.clock(Duration.ZERO)).isEqualTo("00:00:00");
    assertThat(RunJson.clock(Duration.ofSeconds(3 * 3600 + 7 * 60 + 9))).isEqualTo("03:07:09");
    assertThat(RunJson.clock(Duration.ofSeconds(125 * 3600 + 59 * 60 + 59))).isEqualTo("125:59:59");
    for (long s = 0; s < 200_000; s += 37) {
      assertThat(RunJson.clock(Duration.ofSeconds(s)))
          .isEqualTo(String.format("%02d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60));
    }
  }
}
