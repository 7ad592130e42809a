package dev.dbtplatform.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileWriterTest {
  @TempDir
  Path dir;

  @Test
  void secretKeysBecomeEnvVarReferences() throws Exception {
    Map<String, String> warehouse = Map.ofEntries(
        Map.entry("host", "db.example.com"),
        Map.entry("port", "5432"),
        Map.entry("user", "dbt"),
        Map.entry("password", "hunter2"),
        Map.entry("private_key_passphrase", "pp"),
        Map.entry("client_secret", "cs"),
        Map.entry("db_password_old", "old"),
        Map.entry("keepalives_idle", "0"),
        Map.entry("schema", "2024"),
        Map.entry("type", "ignored"),
        Map.entry("threads", "99"));

    ProfileWriter.Profile profile = ProfileWriter.write("shop", "prod", "postgres", 8, warehouse, dir.resolve("profiles"));

    String text = Files.readString(profile.file());
    assertThat(text).doesNotContain("hunter2").doesNotContain(": pp").doesNotContain("\"cs\"").doesNotContain("old\"");
    JsonNode out = new YAMLMapper().readTree(text).path("shop");
    assertThat(out.path("target").asText()).isEqualTo("prod");
    JsonNode prod = out.path("outputs").path("prod");
    assertThat(prod.path("type").asText()).isEqualTo("postgres");
    assertThat(prod.path("threads").isInt()).isTrue();
    assertThat(prod.path("threads").asInt()).isEqualTo(8);
    assertThat(prod.path("port").isNumber()).isTrue();
    assertThat(prod.path("port").asInt()).isEqualTo(5432);
    assertThat(prod.path("keepalives_idle").isNumber()).isTrue();
    assertThat(prod.path("schema").isTextual()).as("a schema stays text").isTrue();
    assertThat(prod.path("host").asText()).isEqualTo("db.example.com");
    assertThat(prod.path("password").asText()).isEqualTo("{{ env_var('DBT_ENV_SECRET_PASSWORD') }}");
    assertThat(prod.path("private_key_passphrase").asText())
        .isEqualTo("{{ env_var('DBT_ENV_SECRET_PRIVATE_KEY_PASSPHRASE') }}");
    assertThat(prod.path("client_secret").asText()).isEqualTo("{{ env_var('DBT_ENV_SECRET_CLIENT_SECRET') }}");
    assertThat(prod.path("db_password_old").asText()).isEqualTo("{{ env_var('DBT_ENV_SECRET_DB_PASSWORD_OLD') }}");
    assertThat(profile.secretEnv()).containsOnly(
        Map.entry("DBT_ENV_SECRET_PASSWORD", "hunter2"),
        Map.entry("DBT_ENV_SECRET_PRIVATE_KEY_PASSPHRASE", "pp"),
        Map.entry("DBT_ENV_SECRET_CLIENT_SECRET", "cs"),
        Map.entry("DBT_ENV_SECRET_DB_PASSWORD_OLD", "old"));
    assertThat(profile.keys()).contains("password (secret)", "host").doesNotContain("type", "threads");
  }

  @Test
  void knowsSecretKeys() {
    for (String key : new String[] {"password", "token", "private_key", "private_key_passphrase", "client_secret",
        "refresh_token", "keyfile_json", "PASSWORD", "sf_password", "my-secret-thing"}) {
      assertThat(ProfileWriter.isSecretKey(key)).as(key).isTrue();
    }
    for (String key : new String[] {"host", "user", "port", "schema", "dbname", "method", "token_uri_x"}) {
      assertThat(ProfileWriter.isSecretKey(key)).as(key).isFalse();
    }
    assertThat(ProfileWriter.secretEnvName("keyfile-json.v2")).isEqualTo("DBT_ENV_SECRET_KEYFILE_JSON_V2");
  }

  @Test
  void readsTheMountedSecretLikeKubernetesWritesIt() throws Exception {
    Path secret = Files.createDirectories(dir.resolve("secret"));
    Path data = Files.createDirectories(secret.resolve("..2024_01_01_00_00_00.1"));
    Files.writeString(data.resolve("password"), "s3cret\n");
    Files.writeString(data.resolve("host"), "localhost");
    Files.createSymbolicLink(secret.resolve("..data"), data.getFileName());
    Files.createSymbolicLink(secret.resolve("password"), Path.of("..data/password"));
    Files.createSymbolicLink(secret.resolve("host"), Path.of("..data/host"));

    assertThat(ProfileWriter.readSecretDir(secret)).containsExactly(
        Map.entry("host", "localhost"), Map.entry("password", "s3cret"));
    assertThat(ProfileWriter.readSecretDir(dir.resolve("missing"))).isEmpty();
  }

  @Test
  void readsTheProfileNameOfTheProject() throws Exception {
    Files.writeString(dir.resolve("dbt_project.yml"), "name: shop\nprofile: 'shop_profile'\nversion: '1.0'\n");
    assertThat(ProfileWriter.readProfileName(dir)).isEqualTo("shop_profile");

    Files.writeString(dir.resolve("dbt_project.yml"), "name: shop\n");
    assertThatThrownBy(() -> ProfileWriter.readProfileName(dir)).hasMessageContaining("no profile");
    assertThatThrownBy(() -> ProfileWriter.readProfileName(dir.resolve("nowhere"))).hasMessageContaining("no dbt_project.yml");
  }
}
