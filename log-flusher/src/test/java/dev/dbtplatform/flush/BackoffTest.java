package dev.dbtplatform.flush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void doublesFromOneSecondUpToTheCap() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0, new Random(1));
    assertThat(backoff.delay(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.delay(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.delay(5)).isEqualTo(Duration.ofSeconds(16));
    assertThat(backoff.delay(6)).isEqualTo(Duration.ofSeconds(30));
    assertThat(backoff.delay(1000)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void jitterOnlyShortensAndByAtMostItsShare() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2, new Random(7));
    for (int retry = 1; retry <= 20; retry++) {
      long full = Math.min(30_000, 1000L << Math.min(retry - 1, 20));
      assertThat(backoff.delay(retry).toMillis()).isBetween((long) (full * 0.8), full);
    }
    assertThat(Backoff.DEFAULT.delay(100)).isLessThanOrEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 0, new Random()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 0, new Random()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 1, new Random()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Backoff.DEFAULT.delay(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
