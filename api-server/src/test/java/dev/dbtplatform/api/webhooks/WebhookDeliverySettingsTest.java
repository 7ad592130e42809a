package dev.dbtplatform.api.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Delivery settings from the environment, and how a receiver's Retry-After is read. */
class WebhookDeliverySettingsTest {
  @Test
  void defaultsAreDbtCloudsAndTheEnvironmentOverridesThem() {
    WebhookDeliverySettings d = WebhookDeliverySettings.fromEnv(Map.of());
    assertThat(d).isEqualTo(WebhookDeliverySettings.defaults());
    assertThat(d.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(d.maxAttempts()).isEqualTo(5);
    assertThat(d.firstRetryDelay()).isEqualTo(Duration.ofMinutes(1));
    assertThat(d.retention()).isEqualTo(Duration.ofDays(30));
    assertThat(d.prunes()).isTrue();

    WebhookDeliverySettings set = WebhookDeliverySettings.fromEnv(Map.of(
        WebhookDeliverySettings.TIMEOUT_SECONDS, "5", WebhookDeliverySettings.MAX_ATTEMPTS, "3",
        WebhookDeliverySettings.RETRY_SECONDS, " 30 ", WebhookDeliverySettings.RETENTION_DAYS, "0"));
    assertThat(set.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(set.maxAttempts()).isEqualTo(3);
    assertThat(set.firstRetryDelay()).isEqualTo(Duration.ofSeconds(30));
    assertThat(set.retryDelay(3)).isEqualTo(Duration.ofMinutes(2));
    assertThat(set.retention()).isZero();
    assertThat(set.prunes()).isFalse();
  }

  @Test
  void invalidValuesAreRefusedNamingTheVariableAndWhatItMayBe() {
    for (var bad : Map.of(
        WebhookDeliverySettings.TIMEOUT_SECONDS, "0",
        WebhookDeliverySettings.MAX_ATTEMPTS, "five",
        WebhookDeliverySettings.RETRY_SECONDS, "-60",
        WebhookDeliverySettings.RETENTION_DAYS, "1.5").entrySet()) {
      assertThatThrownBy(() -> WebhookDeliverySettings.fromEnv(Map.of(bad.getKey(), bad.getValue())))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(bad.getKey() + " must be")
          .hasMessageContaining(" to ");
    }
    assertThatThrownBy(() -> WebhookDeliverySettings.fromEnv(Map.of(WebhookDeliverySettings.MAX_ATTEMPTS, "21")))
        .hasMessage(WebhookDeliverySettings.MAX_ATTEMPTS + " must be from 1 to 20, got 21");
  }

  @Test
  void retryAfterIsSecondsOrAnHttpDateAndOnlyEverLengthensTheBackoffUpToAnHour() {
    Instant now = Instant.parse("2025-03-01T12:00:00Z");
    assertThat(RetryAfter.parse("120", now)).contains(Duration.ofMinutes(2));
    assertThat(RetryAfter.parse("Sat, 01 Mar 2025 12:30:00 GMT", now)).contains(Duration.ofMinutes(30));
    assertThat(RetryAfter.parse("Sat, 01 Mar 2025 11:00:00 GMT", now)).contains(Duration.ZERO);
    assertThat(RetryAfter.parse("99999999999999999999999", now)).contains(RetryAfter.MAX);
    assertThat(RetryAfter.parse("soon", now)).isEmpty();
    assertThat(RetryAfter.parse("-5", now)).isEmpty();
    assertThat(RetryAfter.parse(null, now)).isEmpty();

    Duration backoff = Duration.ofMinutes(4);
    assertThat(RetryAfter.wait(backoff, Optional.empty())).isEqualTo(backoff);
    assertThat(RetryAfter.wait(backoff, Optional.of(Duration.ofMinutes(1)))).isEqualTo(backoff);
    assertThat(RetryAfter.wait(backoff, Optional.of(Duration.ofMinutes(10)))).isEqualTo(Duration.ofMinutes(10));
    assertThat(RetryAfter.wait(backoff, Optional.of(Duration.ofDays(1)))).isEqualTo(Duration.ofHours(1));
    assertThat(RetryAfter.wait(Duration.ofHours(2), Optional.of(Duration.ofDays(1)))).isEqualTo(Duration.ofHours(2));
    assertThat(AttemptOutcome.answered(500, "60", Duration.ZERO).retryAfter()).isNull();
    assertThat(AttemptOutcome.answered(429, "60", Duration.ZERO).retryAfter()).isEqualTo("60");
  }
}
