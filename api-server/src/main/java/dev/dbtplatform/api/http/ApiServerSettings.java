package dev.dbtplatform.api.http;

import dev.dbtplatform.api.tls.TlsMaterial;

/**
 * How the API server listens and how much it takes.
 *
 * @param tls the server's key and certificate; null serves plain HTTP (behind a TLS-terminating
 *     ingress, or in tests)
 * @param requestsPerSecond requests each token may make per second on average
 * @param burst requests a token may make at once before the rate applies
 */
public record ApiServerSettings(String host, int port, TlsMaterial tls, double requestsPerSecond, int burst) {
  public static final double DEFAULT_REQUESTS_PER_SECOND = 100;
  public static final int DEFAULT_BURST = 200;

  public static ApiServerSettings plain(String host, int port) {
    return new ApiServerSettings(host, port, null, DEFAULT_REQUESTS_PER_SECOND, DEFAULT_BURST);
  }

  public ApiServerSettings withTls(TlsMaterial value) {
    return new ApiServerSettings(host, port, value, requestsPerSecond, burst);
  }

  public ApiServerSettings withRateLimit(double perSecond, int burstSize) {
    if (perSecond <= 0 || burstSize < 1) {
      throw new IllegalArgumentException("the rate limit needs a positive rate and a burst of at least 1");
    }
    return new ApiServerSettings(host, port, tls, perSecond, burstSize);
  }

  public String scheme() {
    return tls == null ? "http" : "https";
  }
}
