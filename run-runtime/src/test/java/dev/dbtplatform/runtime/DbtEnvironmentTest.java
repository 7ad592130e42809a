package dev.dbtplatform.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbtplatform.contract.RunConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DbtEnvironmentTest {
  private static RunConfig config(Map<String, String> env, String jobId) {
    return new RunConfig("0", "ns", "run-1", "42", jobId, "3", null, "Triggered via kubectl", "other",
        "https://example.com/x.git", null, null, List.of("dbt build"), "dev", null, 4, 0, "postgres", env,
        false, false, null);
  }

  @Test
  void platformVariablesWinAndNullsAreLeftOut() {
    Map<String, String> env = DbtEnvironment.build(
        Map.of("PATH", "/bin", "DBT_PROFILES_DIR", "/inherited"),
        config(Map.of("MY_VAR", "1", "DBT_CLOUD_RUN_ID", "fake", "DBT_PROFILES_DIR", "/mine"), null),
        Path.of("/tmp/profiles"), "abc123", null, Map.of("DBT_ENV_SECRET_PASSWORD", "pw"));

    assertThat(env).containsEntry("PATH", "/bin")
        .containsEntry("MY_VAR", "1")
        .containsEntry("DBT_PROFILES_DIR", "/tmp/profiles")
        .containsEntry("DBT_CLOUD_RUN_ID", "42")
        .containsEntry("DBT_ENV_CUSTOM_ENV_DBT_CLOUD_RUN_ID", "42")
        .containsEntry("DBT_CLOUD_ACCOUNT_ID", "0")
        .containsEntry("DBT_ENV_CUSTOM_ENV_DBT_CLOUD_ACCOUNT_ID", "0")
        .containsEntry("DBT_CLOUD_PROJECT_ID", "3")
        .containsEntry("DBT_ENV_CUSTOM_ENV_DBT_CLOUD_PROJECT_ID", "3")
        .containsEntry("DBT_CLOUD_GIT_SHA", "abc123")
        .containsEntry("DBT_CLOUD_RUN_REASON", "Triggered via kubectl")
        .containsEntry("DBT_CLOUD_RUN_REASON_CATEGORY", "other")
        .containsEntry("DBT_ENV_SECRET_PASSWORD", "pw")
        .containsEntry("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
        .doesNotContainKeys("DBT_CLOUD_JOB_ID", "DBT_ENV_CUSTOM_ENV_DBT_CLOUD_JOB_ID", "DBT_CLOUD_ENVIRONMENT_ID",
            "DBT_CLOUD_GIT_BRANCH");
  }

  @Test
  void usageStatsSettingOfTheUserIsKept() {
    assertThat(DbtEnvironment.build(Map.of("DBT_SEND_ANONYMOUS_USAGE_STATS", "True"), config(Map.of(), "5"),
        Path.of("/p"), null, null, Map.of())).containsEntry("DBT_SEND_ANONYMOUS_USAGE_STATS", "True");
    assertThat(DbtEnvironment.build(Map.of(), config(Map.of("DBT_SEND_ANONYMOUS_USAGE_STATS", "True"), "5"),
        Path.of("/p"), null, null, Map.of())).containsEntry("DBT_SEND_ANONYMOUS_USAGE_STATS", "True");
  }

  @Test
  void subdirectoryStaysInsideTheCheckout() {
    Path workspace = Path.of("/workspace");
    assertThat(RunRuntime.projectDir(workspace, null)).isEqualTo(Path.of("/workspace/project"));
    assertThat(RunRuntime.projectDir(workspace, "analytics/dbt/")).isEqualTo(Path.of("/workspace/project/analytics/dbt"));
    assertThatThrownBy(() -> RunRuntime.projectDir(workspace, "../logs")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RunRuntime.projectDir(workspace, "/etc")).isInstanceOf(IllegalArgumentException.class);
  }
}
