package dev.dbtplatform.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Writes the profiles.yml dbt reads: the project's profile with one target made of the run's
 * adapter, threads and the keys of the warehouse Secret.
 *
 * <p>Secret values never go into the file: they become {@code env_var('DBT_ENV_SECRET_...')}
 * references and are handed to dbt in its environment, which also makes dbt mask them in its
 * logs. The file goes to a folder outside the workspace anyway, because the workspace is uploaded.
 */
public final class ProfileWriter {
  private ProfileWriter() {}

  static final String FILE_NAME = "profiles.yml";
  static final String SECRET_ENV_PREFIX = "DBT_ENV_SECRET_";

  private static final Set<String> SECRET_KEYS = Set.of(
      "password", "token", "private_key", "private_key_passphrase", "client_secret", "refresh_token", "keyfile_json");
  /** Keys that are text even when they look like a number or a boolean (a schema named "2024"). */
  private static final Set<String> TEXT_KEYS = Set.of(
      "host", "user", "username", "dbname", "database", "schema", "dataset", "project", "account", "role",
      "warehouse", "catalog", "path", "http_path", "cluster", "sslmode", "search_path");
  /** Keys of the Secret that the run's config decides. */
  private static final Set<String> CONFIG_KEYS = Set.of("type", "threads");
  private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");
  private static final Pattern DECIMAL = Pattern.compile("-?\\d+\\.\\d+");

  private static final YAMLMapper YAML = new YAMLMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

  /**
   * @param profileName the profile the project asks for
   * @param file the written profiles.yml
   * @param secretEnv DBT_ENV_SECRET_* variables dbt needs to resolve the secret references
   * @param keys the connection keys written, for the log (secret ones marked)
   */
  public record Profile(String profileName, Path file, Map<String, String> secretEnv, List<String> keys) {}

  /**
   * @param warehouse the warehouse Secret's keys and values
   * @param profilesDir the folder to write profiles.yml into
   */
  public static Profile write(String profileName, String target, String adapterType, int threads,
      Map<String, String> warehouse, Path profilesDir) throws IOException {
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("type", adapterType);
    output.put("threads", threads);
    Map<String, String> secretEnv = new TreeMap<>();
    List<String> keys = new java.util.ArrayList<>();
    for (Map.Entry<String, String> e : new TreeMap<>(warehouse).entrySet()) {
      String key = e.getKey();
      if (CONFIG_KEYS.contains(key.toLowerCase(Locale.ROOT))) {
        continue;
      }
      if (isSecretKey(key)) {
        String var = secretEnvName(key);
        secretEnv.put(var, e.getValue());
        output.put(key, "{{ env_var('" + var + "') }}");
        keys.add(key + " (secret)");
      } else {
        output.put(key, typed(key, e.getValue()));
        keys.add(key);
      }
    }
    Map<String, Object> profile = new LinkedHashMap<>();
    profile.put("target", target);
    profile.put("outputs", Map.of(target, output));
    Files.createDirectories(profilesDir);
    Path file = profilesDir.resolve(FILE_NAME);
    Files.writeString(file, YAML.writeValueAsString(Map.of(profileName, profile)), StandardCharsets.UTF_8);
    return new Profile(profileName, file, secretEnv, keys);
  }

  /** The {@code profile:} of the project's dbt_project.yml. */
  public static String readProfileName(Path projectDir) throws IOException {
    JsonNode profile = readProject(projectDir).get("profile");
    if (profile == null || !profile.isTextual() || profile.asText().isBlank()) {
      throw new IOException("dbt_project.yml has no profile");
    }
    return profile.asText();
  }

  public static JsonNode readProject(Path projectDir) throws IOException {
    Path file = projectDir.resolve("dbt_project.yml");
    if (!Files.isRegularFile(file)) {
      throw new IOException("no dbt_project.yml in " + projectDir.getFileName());
    }
    JsonNode root = YAML.readTree(file.toFile());
    if (root == null || !root.isObject()) {
      throw new IOException("dbt_project.yml is not a YAML mapping");
    }
    return root;
  }

  /**
   * The warehouse Secret as mounted: one file per key. Kubernetes adds hidden {@code ..data}
   * entries, which are skipped. A trailing newline (from {@code --from-file}) is not part of the value.
   */
  public static Map<String, String> readSecretDir(Path dir) throws IOException {
    Map<String, String> values = new TreeMap<>();
    if (dir == null || !Files.isDirectory(dir)) {
      return values;
    }
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        String key = file.getFileName().toString();
        if (key.startsWith(".") || !Files.isRegularFile(file)) {
          continue;
        }
        values.put(key, Files.readString(file, StandardCharsets.UTF_8).replaceAll("[\r\n]+$", ""));
      }
    }
    return values;
  }

  public static boolean isSecretKey(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return SECRET_KEYS.contains(k) || k.contains("password") || k.contains("secret");
  }

  /** {@code private_key} becomes {@code DBT_ENV_SECRET_PRIVATE_KEY}. */
  static String secretEnvName(String key) {
    return SECRET_ENV_PREFIX + key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  /** Port, timeouts and flags must be numbers and booleans in YAML, or adapters reject them. */
  private static Object typed(String key, String value) {
    if (TEXT_KEYS.contains(key.toLowerCase(Locale.ROOT))) {
      return value;
    }
    if (INTEGER.matcher(value).matches()) {
      return Long.parseLong(value);
    }
    if (DECIMAL.matcher(value).matches()) {
      return Double.parseDouble(value);
    }
    if (value.equals("true") || value.equals("false")) {
      return Boolean.parseBoolean(value);
    }
    return value;
  }
}
