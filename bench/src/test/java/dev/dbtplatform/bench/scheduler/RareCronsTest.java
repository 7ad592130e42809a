package dev.dbtplatform.bench.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbtplatform.contract.Cron;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RareCronsTest {
  @Test
  void noScheduleFiresInTheQuietTimeAndTheyAreSpread() {
    Instant from = Instant.parse("2026-03-02T08:50:00Z");
    Instant until = Instant.parse("2026-03-02T10:10:00Z");
    RareCrons crons = new RareCrons(1, from, until);
    Set<String> distinct = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      String cron = crons.next();
      assertThat(Cron.parse(cron).next(from)).as(cron).isAfter(until);
      distinct.add(cron);
    }
    assertThat(distinct).hasSizeGreaterThan(500);
  }
}
