package dev.dbtplatform.flush;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbtplatform.contract.FlushConfig;
import dev.dbtplatform.contract.RuntimeEnv;
import dev.dbtplatform.flush.S3TestSupport.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/** Invalid or missing configuration: exit 2 with a message, before any network call. */
class FlushConfigErrorsTest {
  @TempDir Path tmp;

  Map<String, String> env(String configJson) {
    Map<String, String> env = new HashMap<>();
    if (configJson != null) {
      env.put(RuntimeEnv.FLUSH_CONFIG, configJson);
    }
    env.put(RuntimeEnv.WORKSPACE, tmp.resolve("ws").toString());
    env.put(RuntimeEnv.TERMINATION_LOG, tmp.resolve("term/log").toString());
    env.put("AWS_ACCESS_KEY_ID", "a");
    env.put("AWS_SECRET_ACCESS_KEY", "super-secret-value");
    return env;
  }

  static String config(String endpoint, String region, String bucket, String runPrefix, long retrySeconds) {
    return new FlushConfig(endpoint, region, bucket, true, runPrefix, retrySeconds).toJson();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "<unset>|DBT_PLATFORM_FLUSH_CONFIG is not set",
      "'  '|DBT_PLATFORM_FLUSH_CONFIG is not set",
      "not json|not a valid FlushConfig",
      "[1,2]|not a valid FlushConfig",
      "{}|bucket is missing",
      "{\"bucket\":\"logs\"}|runPrefix is missing",
      "{\"bucket\":\"logs\",\"runPrefix\":\"runs/x\"}|runPrefix must end with \"/\"",
      "{\"bucket\":\"logs\",\"runPrefix\":\"/runs/x/\"}|runPrefix must end with \"/\"",
      "{\"bucket\":\"logs\",\"runPrefix\":\"runs/x/\",\"endpoint\":\"http://h:9000\",\"retrySeconds\":-1}|retrySeconds must not be negative",
      "{\"bucket\":\"logs\",\"runPrefix\":\"runs/x/\",\"endpoint\":\"ftp://h\"}|endpoint must be an http:// or https:// URL",
      "{\"bucket\":\"logs\",\"runPrefix\":\"runs/x/\",\"endpoint\":\"http://\"}|endpoint",
      "{\"bucket\":\"logs\",\"runPrefix\":\"runs/x/\",\"endpoint\":\"not a url\"}|endpoint",
      "{\"bucket\":\"logs\",\"runPrefix\":\"runs/x/\"}|region is missing",
  })
  void invalidConfigExitsWithTwo(String json, String expectedMessage) throws IOException {
    Run run = S3TestSupport.run(env("<unset>".equals(json) ? null : json), new FakeClock());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("invalid flush configuration: ").contains(expectedMessage);
    assertThat(Files.readString(tmp.resolve("term/log"))).contains(expectedMessage);
    assertThat(run.out() + run.err()).doesNotContain("super-secret-value");
  }

  @Test
  void halfTheCredentialsIsInvalid() {
    Map<String, String> env = env(config("http://127.0.0.1:1", "us-east-1", "logs", "runs/x/", 1));
    env.remove("AWS_SECRET_ACCESS_KEY");
    Run run = S3TestSupport.run(env, new FakeClock());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
  }

  @Test
  void settingsDefaultRegionAndPathsAndKeepCredentialsOutOfToString() {
    Map<String, String> env = env(config("http://minio:9000", null, "logs", "runs/x/", 5));
    env.remove(RuntimeEnv.WORKSPACE);
    env.remove(RuntimeEnv.TERMINATION_LOG);
    FlushSettings settings = FlushSettings.fromEnv(env);
    assertThat(settings.region()).isEqualTo("us-east-1");
    assertThat(settings.workspace()).isEqualTo(Path.of(RuntimeEnv.DEFAULT_WORKSPACE));
    assertThat(settings.terminationLog()).isEqualTo(Path.of(RuntimeEnv.DEFAULT_TERMINATION_LOG));
    assertThat(settings.endpointDescription()).isEqualTo("http://minio:9000");
    AwsCredentials credentials = settings.credentials().resolveCredentials();
    assertThat(credentials.accessKeyId()).isEqualTo("a");
    assertThat(settings.toString()).doesNotContain("super-secret-value");

    env.put("AWS_REGION", "eu-west-1");
    FlushSettings aws = FlushSettings.fromEnv(Map.of(
        RuntimeEnv.FLUSH_CONFIG, config(null, null, "logs", "runs/x/", 5), "AWS_REGION", "eu-west-1"));
    assertThat(aws.endpoint()).isNull();
    assertThat(aws.region()).isEqualTo("eu-west-1");
    assertThat(aws.endpointDescription()).isEqualTo("https://s3.eu-west-1.amazonaws.com");
    assertThat(aws.credentials()).isInstanceOf(DefaultCredentialsProvider.class);
  }
}
