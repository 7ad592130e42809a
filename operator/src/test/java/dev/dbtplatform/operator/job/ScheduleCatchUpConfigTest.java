package dev.dbtplatform.operator.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbtplatform.operator.OperatorConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScheduleCatchUpConfigTest {
  @Test
  void tenMinutesUnlessSet() {
    assertThat(OperatorConfig.fromEnv(Map.of()).scheduleCatchUp()).isEqualTo(Duration.ofMinutes(10));
    assertThat(OperatorConfig.fromEnv(Map.of(OperatorConfig.SCHEDULE_CATCHUP_SECONDS, "90")).scheduleCatchUp())
        .isEqualTo(Duration.ofSeconds(90));
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of(OperatorConfig.SCHEDULE_CATCHUP_SECONDS, "0")))
        .hasMessageContaining("DBT_PLATFORM_SCHEDULE_CATCHUP_SECONDS must be 1 or more");
  }
}
