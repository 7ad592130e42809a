package dev.dbtplatform.api.storage;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The S3 client for reads someone is waiting for. Unlike the flusher, which has minutes and its own
 * backoff, an API request should fail within seconds when the store is down, so: short connect
 * timeout, the SDK's standard retries (jittered backoff, and a token bucket that stops retrying
 * when most calls fail) with only a few attempts.
 */
final class InteractiveS3Client {
  static final int MAX_ATTEMPTS = 3;
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  /** Longest silence while waiting for or reading a response; not a limit on a whole download. */
  static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(15);

  private InteractiveS3Client() {}

  static S3Client build(ObjectStoreSettings settings) {
    S3ClientBuilder builder = S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(CONNECT_TIMEOUT)
            .socketTimeout(SOCKET_TIMEOUT))
        .region(Region.of(settings.region()))
        .credentialsProvider(credentials(settings))
        .forcePathStyle(settings.pathStyle())
        // as the flusher: s3proxy and other S3-compatible stores do not all handle the CRC32 checksums newer SDKs send and expect
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .overrideConfiguration(o -> o.retryStrategy(
            AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(MAX_ATTEMPTS).build())
            .addExecutionInterceptor(new WithoutExpectContinue()));
    if (settings.endpoint() != null) {
      builder.endpointOverride(settings.endpoint());
    }
    return builder.build();
  }

  private static AwsCredentialsProvider credentials(ObjectStoreSettings settings) {
    if (!settings.hasStaticCredentials()) {
      return DefaultCredentialsProvider.builder().build();
    }
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
  }
}
