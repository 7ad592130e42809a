package dev.dbtplatform.api.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObjectStoreSettingsTest {
  @Test
  void selfHostedStoreDefaultsToPathStyle() {
    ObjectStoreSettings settings = ObjectStoreSettings.fromEnv(Map.of(
        "DBT_PLATFORM_S3_ENDPOINT", "http://minio.storage:9000",
        "AWS_ACCESS_KEY_ID", "minio",
        "AWS_SECRET_ACCESS_KEY", "minio-secret"));

    assertThat(settings).isEqualTo(new ObjectStoreSettings(URI.create("http://minio.storage:9000"), "us-east-1",
        "minio", "minio-secret", true));
    assertThat(settings.hasStaticCredentials()).isTrue();
    assertThat(settings.endpointDescription()).isEqualTo("http://minio.storage:9000");
  }

  @Test
  void awsDefaultsToVirtualHostsAndTheDefaultCredentialChain() {
    ObjectStoreSettings settings = ObjectStoreSettings.fromEnv(Map.of("DBT_PLATFORM_S3_REGION", "eu-west-1"));

    assertThat(settings.endpoint()).isNull();
    assertThat(settings.pathStyle()).isFalse();
    assertThat(settings.hasStaticCredentials()).isFalse();
    assertThat(settings.endpointDescription()).isEqualTo("https://s3.eu-west-1.amazonaws.com");
  }

  @Test
  void pathStyleCanBeSetEitherWay() {
    assertThat(ObjectStoreSettings.fromEnv(Map.of("DBT_PLATFORM_S3_ENDPOINT", "https://s3.example.com",
        "DBT_PLATFORM_S3_PATH_STYLE", "false")).pathStyle()).isFalse();
    assertThat(ObjectStoreSettings.fromEnv(Map.of("DBT_PLATFORM_S3_PATH_STYLE", "TRUE")).pathStyle()).isTrue();
    assertThatThrownBy(() -> ObjectStoreSettings.fromEnv(Map.of("DBT_PLATFORM_S3_PATH_STYLE", "yes")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DBT_PLATFORM_S3_PATH_STYLE");
  }

  @Test
  void malformedEndpointIsRefused() {
    assertThatThrownBy(() -> ObjectStoreSettings.fromEnv(Map.of("DBT_PLATFORM_S3_ENDPOINT", "minio:9000")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DBT_PLATFORM_S3_ENDPOINT");
    assertThatThrownBy(() -> ObjectStoreSettings.fromEnv(Map.of("DBT_PLATFORM_S3_ENDPOINT", "http://bad host")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DBT_PLATFORM_S3_ENDPOINT");
  }

  @Test
  void halfAKeyPairIsRefused() {
    assertThatThrownBy(() -> ObjectStoreSettings.fromEnv(Map.of("AWS_ACCESS_KEY_ID", "id")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AWS_SECRET_ACCESS_KEY");
    assertThatThrownBy(() -> ObjectStoreSettings.fromEnv(Map.of("AWS_SECRET_ACCESS_KEY", "shh")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AWS_ACCESS_KEY_ID")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("shh"));
  }

  @Test
  void toStringNeverShowsTheSecret() {
    ObjectStoreSettings settings = new ObjectStoreSettings(URI.create("http://127.0.0.1:9000"), "us-east-1",
        "access-id", "very-secret-value", true);

    assertThat(settings.toString()).contains("http://127.0.0.1:9000", "access-id").doesNotContain("very-secret-value");
  }
}
