package dev.dbtplatform.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RunSlotsConfigTest {
  @Test
  void runSlotsAreUnlimitedUnlessSet() {
    assertThat(OperatorConfig.fromEnv(Map.of()).runSlots()).isZero();
    assertThat(OperatorConfig.fromEnv(Map.of(OperatorConfig.RUN_SLOTS, " 3 ")).runSlots()).isEqualTo(3);
    assertThat(OperatorConfig.defaults().withRunSlots(2).withMetricsPort(0).runSlots()).isEqualTo(2);
  }

  @Test
  void aNegativeNumberOfRunSlotsIsRefused() {
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of(OperatorConfig.RUN_SLOTS, "-1")))
        .hasMessageContaining(OperatorConfig.RUN_SLOTS);
  }
}
