package dev.dbtplatform.operator.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbtplatform.contract.Cron;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which fire a schedule asks for: the latest one only, never older than the job, within the catch-up time. */
class ScheduleDecisionTest {
  static final Cron HOURLY = Cron.parse("0 * * * *");
  static final Duration CATCH_UP = Duration.ofMinutes(10);
  static final Instant CREATED = Instant.parse("2025-05-10T07:20:00Z");

  @Test
  void theFireAtNowIsDue() {
    ScheduleDecision d = decide(null, "2025-05-10T09:00:00Z");
    assertThat(d.due()).contains(Instant.parse("2025-05-10T09:00:00Z"));
    assertThat(d.missed()).isEmpty();
    assertThat(d.next()).isEqualTo(Instant.parse("2025-05-10T10:00:00Z"));
  }

  @Test
  void aHandledFireIsNotDueAgain() {
    ScheduleDecision d = decide(Instant.parse("2025-05-10T09:00:00Z"), "2025-05-10T09:00:30Z");
    assertThat(d.due()).isEmpty();
    assertThat(d.missed()).isEmpty();
  }

  @Test
  void afterDowntimeOnlyTheLatestFireIsCaughtUpAndOnlyWithinTheCatchUpTime() {
    // handled 06:00 (before creation even), down until 09:10: 08:00 and 09:00 missed, only 09:00 counts
    assertThat(decide(Instant.parse("2025-05-10T06:00:00Z"), "2025-05-10T09:10:00Z").due())
        .contains(Instant.parse("2025-05-10T09:00:00Z"));
    ScheduleDecision late = decide(null, "2025-05-10T09:10:01Z");
    assertThat(late.due()).isEmpty();
    assertThat(late.missed()).contains(Instant.parse("2025-05-10T09:00:00Z"));
    assertThat(late.next()).isEqualTo(Instant.parse("2025-05-10T10:00:00Z"));
  }

  @Test
  void firesBeforeTheJobWasCreatedAreNotItsOwn() {
    ScheduleDecision d = decide(null, "2025-05-10T07:25:00Z");
    assertThat(d.due()).isEmpty();
    assertThat(d.missed()).isEmpty();
    assertThat(d.next()).isEqualTo(Instant.parse("2025-05-10T08:00:00Z"));
    assertThat(ScheduleDecision.decide(HOURLY, Instant.parse("2025-05-10T08:00:00Z"), null,
        Instant.parse("2025-05-10T08:00:10Z"), CATCH_UP).due()).as("created at the fire time").isPresent();
  }

  private static ScheduleDecision decide(Instant handled, String now) {
    return ScheduleDecision.decide(HOURLY, CREATED, handled, Instant.parse(now), CATCH_UP);
  }
}
