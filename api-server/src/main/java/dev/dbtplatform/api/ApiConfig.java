package dev.dbtplatform.api;

import dev.dbtplatform.api.develop.DevelopSettings;
import dev.dbtplatform.api.http.ApiServerSettings;
import dev.dbtplatform.api.retention.RetentionSettings;
import dev.dbtplatform.api.webhooks.WebhookDeliverySettings;
import dev.dbtplatform.api.webhooks.WebhookSecrets;
import java.util.Map;

/**
 * The API server's configuration from DBT_PLATFORM_* environment variables. The object store
 * settings are read by {@link dev.dbtplatform.api.storage.ObjectStoreSettings#fromEnv} and TLS
 * by {@link ApiTls}.
 *
 * @param dbUrl JDBC URL of the application database, e.g. jdbc:postgresql://postgres:5432/dbt_platform
 * @param retention how long finished runs stay in history and the object store
 * @param webhooks how webhook deliveries are sent and how long the delivery log keeps them
 * @param webhookSecrets the key that seals webhook signing secrets, if one is set
 * @param develop how develop sessions are reached (how long a request waits for a session to resume)
 */
public record ApiConfig(String dbUrl, String dbUser, String dbPassword, ApiServerSettings server,
                        RetentionSettings retention, WebhookDeliverySettings webhooks, WebhookSecrets webhookSecrets,
                        DevelopSettings develop) {
  public static final String DB_URL = "DBT_PLATFORM_DB_URL";
  public static final String DB_USER = "DBT_PLATFORM_DB_USER";
  public static final String DB_PASSWORD = "DBT_PLATFORM_DB_PASSWORD";
  public static final String HOST = "DBT_PLATFORM_API_HOST";
  public static final String PORT = "DBT_PLATFORM_API_PORT";
  public static final String RATE_LIMIT = "DBT_PLATFORM_API_RATE_LIMIT";
  public static final String RATE_BURST = "DBT_PLATFORM_API_RATE_BURST";

  @Override
  public String toString() { // keep the password out of logs (the secrets' key says only whether there is one)
    return "ApiConfig[dbUrl=" + dbUrl + ", dbUser=" + dbUser + ", server=" + server + ", retention=" + retention
        + ", webhooks=" + webhooks + ", webhookSecrets=" + webhookSecrets + ", develop=" + develop + "]";
  }

  /** @throws IllegalArgumentException naming the variable that is missing or wrong */
  public static ApiConfig fromEnv(Map<String, String> env) {
    String url = required(env, DB_URL);
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(DB_URL + " must be a PostgreSQL JDBC URL (jdbc:postgresql://host:5432/db), got " + url);
    }
    String host = env.getOrDefault(HOST, "0.0.0.0");
    int port = (int) number(env, PORT, 8443, 0, 65535);
    double rate = number(env, RATE_LIMIT, ApiServerSettings.DEFAULT_REQUESTS_PER_SECOND, 0.01, 1_000_000);
    int burst = (int) number(env, RATE_BURST, ApiServerSettings.DEFAULT_BURST, 1, 1_000_000);
    return new ApiConfig(url, required(env, DB_USER), env.getOrDefault(DB_PASSWORD, ""),
        ApiServerSettings.plain(host, port).withRateLimit(rate, burst), RetentionSettings.fromEnv(env),
        WebhookDeliverySettings.fromEnv(env), WebhookSecrets.fromEnv(env), DevelopSettings.fromEnv(env));
  }

  private static String required(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("set " + name);
    }
    return value.strip();
  }

  private static double number(Map<String, String> env, String name, double fallback, double min, double max) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      double n = Double.parseDouble(value.strip());
      if (n < min || n > max) {
        throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, got '" + value + "'");
    }
  }
}
