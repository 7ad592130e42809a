package dev.dbtplatform.flush;

import dev.dbtplatform.contract.FlushConfig;
import dev.dbtplatform.contract.RuntimeEnv;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * What the flush pod's environment says: the {@link FlushConfig} ({@value RuntimeEnv#FLUSH_CONFIG}),
 * the run volume ({@value RuntimeEnv#WORKSPACE}), the termination log
 * ({@value RuntimeEnv#TERMINATION_LOG}) and the credentials (AWS_ACCESS_KEY_ID /
 * AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, else the SDK's default chain).
 *
 * @param endpoint null for AWS's endpoint of the region
 */
public record FlushSettings(
    FlushConfig config,
    URI endpoint,
    String region,
    Path workspace,
    Path terminationLog,
    AwsCredentialsProvider credentials) {

  static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
  static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
  static final String SESSION_TOKEN = "AWS_SESSION_TOKEN";
  /** The region of the store when the config names none and it is not AWS. */
  static final String FALLBACK_REGION = "us-east-1";

  /** @throws InvalidConfigException when something is missing or malformed */
  public static FlushSettings fromEnv(Map<String, String> env) {
    return fromEnv(env, RuntimeEnv.FLUSH_CONFIG);
  }

  /**
   * The settings with the {@link FlushConfig} read from {@code variable}: the flush's own, or the
   * deferred run's for the state fetch.
   *
   * @throws InvalidConfigException when something is missing or malformed
   */
  public static FlushSettings fromEnv(Map<String, String> env, String variable) {
    Path terminationLog = terminationLog(env);
    Path workspace = path(env, RuntimeEnv.WORKSPACE, RuntimeEnv.DEFAULT_WORKSPACE);

    String json = env.get(variable);
    if (json == null || json.isBlank()) {
      throw new InvalidConfigException(variable + " is not set: it must hold the object store location as JSON");
    }
    FlushConfig config;
    try {
      config = FlushConfig.fromJson(json);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(variable + " is " + e.getMessage(), e);
    }
    if (config == null) {
      throw new InvalidConfigException(variable + " holds no flush configuration");
    }
    if (blank(config.bucket())) {
      throw new InvalidConfigException(variable + ": bucket is missing");
    }
    if (blank(config.runPrefix())) {
      throw new InvalidConfigException(variable + ": runPrefix is missing");
    }
    if (!config.runPrefix().endsWith("/") || config.runPrefix().startsWith("/")) {
      throw new InvalidConfigException(variable + ": runPrefix must end with \"/\" and not start with one"
          + " (as ObjectKeys.runPrefix makes it), got \"" + config.runPrefix() + "\"");
    }
    if (config.retrySeconds() < 0) {
      throw new InvalidConfigException(variable + ": retrySeconds must not be negative, got " + config.retrySeconds());
    }
    URI endpoint = blank(config.endpoint()) ? null : endpoint(config.endpoint(), variable);
    String region = region(config, env, endpoint, variable);
    return new FlushSettings(config, endpoint, region, workspace, terminationLog, credentials(env));
  }

  /** The termination log path alone, so that even a bad configuration can be reported there. */
  public static Path terminationLog(Map<String, String> env) {
    return path(env, RuntimeEnv.TERMINATION_LOG, RuntimeEnv.DEFAULT_TERMINATION_LOG);
  }

  public String bucket() {
    return config.bucket();
  }

  public String runPrefix() {
    return config.runPrefix();
  }

  public Duration retryBudget() {
    return Duration.ofSeconds(config.retrySeconds());
  }

  /** The store, for messages: its endpoint, or AWS's for the region. */
  public String endpointDescription() {
    return endpoint != null ? endpoint.toString() : "https://s3." + region + ".amazonaws.com";
  }

  @Override
  public String toString() {
    // the credentials provider stays out of it
    return "FlushSettings[endpoint=" + endpointDescription() + ", region=" + region + ", bucket=" + bucket()
        + ", runPrefix=" + runPrefix() + ", workspace=" + workspace + "]";
  }

  private static URI endpoint(String text, String variable) {
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      throw new InvalidConfigException(variable + ": endpoint is not a URL: " + e.getMessage(), e);
    }
    if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) || blank(uri.getHost())) {
      throw new InvalidConfigException(variable + ": endpoint must be an http:// or https:// URL with a host, got \""
          + text + "\"");
    }
    return uri;
  }

  private static String region(FlushConfig config, Map<String, String> env, URI endpoint, String variable) {
    if (!blank(config.region())) {
      return config.region().trim();
    }
    for (String name : new String[] {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
      if (!blank(env.get(name))) {
        return env.get(name).trim();
      }
    }
    if (endpoint != null) {
      return FALLBACK_REGION;
    }
    throw new InvalidConfigException(variable + ": region is missing (needed for AWS S3 when no endpoint is given)");
  }

  private static AwsCredentialsProvider credentials(Map<String, String> env) {
    String accessKey = env.get(ACCESS_KEY_ID);
    String secretKey = env.get(SECRET_ACCESS_KEY);
    if (blank(accessKey) && blank(secretKey)) {
      return DefaultCredentialsProvider.builder().build();
    }
    if (blank(accessKey) || blank(secretKey)) {
      throw new InvalidConfigException((blank(accessKey) ? SECRET_ACCESS_KEY + " is set but " + ACCESS_KEY_ID
          : ACCESS_KEY_ID + " is set but " + SECRET_ACCESS_KEY) + " is not");
    }
    String token = env.get(SESSION_TOKEN);
    return StaticCredentialsProvider.create(blank(token)
        ? AwsBasicCredentials.create(accessKey, secretKey)
        : AwsSessionCredentials.create(accessKey, secretKey, token));
  }

  private static Path path(Map<String, String> env, String name, String fallback) {
    String value = env.get(name);
    try {
      return Path.of(blank(value) ? fallback : value);
    } catch (InvalidPathException e) {
      throw new InvalidConfigException(name + " is not a valid path: " + e.getMessage(), e);
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
