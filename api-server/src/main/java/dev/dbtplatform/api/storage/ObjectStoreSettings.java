package dev.dbtplatform.api.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;

/**
 * Where the API server reads run logs and artifacts: the same S3-compatible store the log-flush
 * Jobs write to, so the endpoint, region and path-style settings use the operator's variable names.
 *
 * @param endpoint null for AWS's own endpoint of the region
 * @param accessKey null (with secretKey null) for the SDK's default credential chain, e.g. a pod
 *     identity on AWS
 * @param pathStyle bucket in the path (http://host/bucket/key) instead of the host name; most
 *     self-hosted stores (MinIO, s3proxy, Ceph) need it
 */
public record ObjectStoreSettings(URI endpoint, String region, String accessKey, String secretKey, boolean pathStyle) {

  public static final String ENDPOINT = "DBT_PLATFORM_S3_ENDPOINT";
  public static final String REGION = "DBT_PLATFORM_S3_REGION";
  public static final String PATH_STYLE = "DBT_PLATFORM_S3_PATH_STYLE";
  public static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
  public static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
  public static final String DEFAULT_REGION = "us-east-1";

  public ObjectStoreSettings {
    if (blank(region)) {
      throw new IllegalArgumentException("the object store region must not be empty");
    }
    if (blank(accessKey) != blank(secretKey)) {
      // a half-configured key pair would silently fall back to the default chain and fail later, far from the cause
      throw new IllegalArgumentException(blank(accessKey)
          ? SECRET_ACCESS_KEY + " is set but " + ACCESS_KEY_ID + " is not"
          : ACCESS_KEY_ID + " is set but " + SECRET_ACCESS_KEY + " is not");
    }
  }

  /**
   * Reads {@value #ENDPOINT}, {@value #REGION} (default {@value #DEFAULT_REGION}),
   * {@value #ACCESS_KEY_ID}, {@value #SECRET_ACCESS_KEY} and {@value #PATH_STYLE} (default true when
   * an endpoint is set, false for AWS).
   *
   * @throws IllegalArgumentException when a value is malformed
   */
  public static ObjectStoreSettings fromEnv(Map<String, String> env) {
    URI endpoint = blank(env.get(ENDPOINT)) ? null : endpoint(env.get(ENDPOINT));
    String region = blank(env.get(REGION)) ? DEFAULT_REGION : env.get(REGION).trim();
    boolean pathStyle = blank(env.get(PATH_STYLE)) ? endpoint != null : flag(PATH_STYLE, env.get(PATH_STYLE));
    return new ObjectStoreSettings(endpoint, region, emptyToNull(env.get(ACCESS_KEY_ID)),
        emptyToNull(env.get(SECRET_ACCESS_KEY)), pathStyle);
  }

  /** Whether the key pair is given here; otherwise the SDK's default credential chain applies. */
  public boolean hasStaticCredentials() {
    return !blank(accessKey);
  }

  /** The store, for messages: its endpoint, or AWS's for the region. */
  public String endpointDescription() {
    return endpoint != null ? endpoint.toString() : "https://s3." + region + ".amazonaws.com";
  }

  @Override
  public String toString() {
    // the secret key stays out of logs and error messages
    return "ObjectStoreSettings[endpoint=" + endpointDescription() + ", region=" + region
        + ", accessKey=" + (hasStaticCredentials() ? accessKey : "(default chain)")
        + ", secretKey=" + (hasStaticCredentials() ? "***" : "(default chain)")
        + ", pathStyle=" + pathStyle + "]";
  }

  private static URI endpoint(String text) {
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(ENDPOINT + " is not a URL: " + e.getMessage(), e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || blank(uri.getHost())) {
      throw new IllegalArgumentException(ENDPOINT + " must be an http:// or https:// URL with a host, got \"" + text + "\"");
    }
    return uri;
  }

  /** Strict, unlike Boolean.parseBoolean: "yes" or "1" must not quietly mean false. */
  private static boolean flag(String name, String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(name + " must be true or false, got \"" + value + "\"");
    };
  }

  private static String emptyToNull(String value) {
    return blank(value) ? null : value.trim();
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
