package dev.dbtplatform.flush;

import dev.dbtplatform.contract.FlushReport;
import dev.dbtplatform.contract.RuntimeEnv;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The log-flush Job's program: uploads the run volume's step logs, artifacts and run summary to
 * the object store, then writes a {@link FlushReport} as the termination message.
 *
 * <p>Exit codes: 0 all uploaded (or nothing to upload); 1 the upload failed (store unreachable for
 * longer than the retry budget, missing bucket, refused credentials, unreadable volume); 2 the
 * configuration is missing or invalid. On failure the termination log holds the reason as plain
 * text, never a report.
 */
public final class FlushMain {
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_INVALID_CONFIG = RuntimeEnv.EXIT_INVALID_CONFIG;

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);

  private FlushMain() {}

  public static void main(String[] args) {
    System.exit(run(System.getenv(), System.out, System.err, FlushClock.SYSTEM, Backoff.DEFAULT));
  }

  /** Runs a flush as the Job would, with this environment; returns the exit code. */
  public static int run(Map<String, String> env, PrintStream out, PrintStream err) {
    return run(env, out, err, FlushClock.SYSTEM, Backoff.DEFAULT);
  }

  /** Runs a flush with this clock (tests: sleeps that return at once) and backoff. */
  static int run(Map<String, String> env, PrintStream out, PrintStream err, FlushClock clock, Backoff backoff) {
    FlushSettings settings;
    try {
      settings = FlushSettings.fromEnv(env);
    } catch (InvalidConfigException e) {
      return fail(env, err, "invalid flush configuration: " + e.getMessage(), EXIT_INVALID_CONFIG);
    }

    FlushReport report;
    try (S3Client s3 = s3Client(settings)) {
      report = new Flusher(settings, s3, clock, backoff, out, err).flush();
    } catch (InvalidConfigException e) {
      return fail(env, err, "invalid flush configuration: " + e.getMessage(), EXIT_INVALID_CONFIG);
    } catch (FlushFailure e) {
      return fail(env, err, "log flush failed: " + e.getMessage(), EXIT_FAILED);
    } catch (RuntimeException e) {
      e.printStackTrace(err);
      return fail(env, err, "log flush failed: " + e, EXIT_FAILED);
    }

    try {
      writeTerminationLog(settings.terminationLog(), report.toTerminationMessage());
    } catch (IOException e) {
      err.println("log flush uploaded everything but cannot write the report to " + settings.terminationLog() + ": " + e);
      return EXIT_FAILED;
    }
    return EXIT_OK;
  }

  /** The S3 client for these settings: URL-connection HTTP, no SDK retries (the flush has its own). */
  static S3Client s3Client(FlushSettings settings) {
    S3ClientBuilder builder = S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(CONNECT_TIMEOUT)
            .socketTimeout(SOCKET_TIMEOUT))
        .region(Region.of(settings.region()))
        .credentialsProvider(settings.credentials())
        .forcePathStyle(settings.config().pathStyle())
        // s3proxy and other S3-compatible stores do not all take the CRC32 checksums that newer SDKs send
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
            .addExecutionInterceptor(new WithoutExpectContinue()));
    if (settings.endpoint() != null) {
      builder.endpointOverride(settings.endpoint());
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException | SdkException e) {
      throw new InvalidConfigException("cannot make an S3 client for " + settings.endpointDescription() + ": " + e.getMessage(), e);
    }
  }

  private static int fail(Map<String, String> env, PrintStream err, String message, int exitCode) {
    err.println(message);
    try {
      writeTerminationLog(FlushSettings.terminationLog(env), truncate(message));
    } catch (IOException | RuntimeException e) {
      err.println("cannot write the failure to the termination log: " + e);
    }
    return exitCode;
  }

  static void writeTerminationLog(Path path, String message) throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      Files.createDirectories(parent);
    }
    Files.writeString(path, message, StandardCharsets.UTF_8);
  }

  /** Kubernetes keeps only the first 4 KiB of a termination message. */
  private static String truncate(String message) {
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= RuntimeEnv.TERMINATION_MESSAGE_LIMIT) {
      return message;
    }
    String cut = new String(bytes, 0, RuntimeEnv.TERMINATION_MESSAGE_LIMIT - 3, StandardCharsets.UTF_8);
    // a multi-byte character cut in half decodes to U+FFFD: drop it
    while (!cut.isEmpty() && cut.charAt(cut.length() - 1) == '\uFFFD') {
      cut = cut.substring(0, cut.length() - 1);
    }
    return cut + "...";
  }

  /**
   * Sends uploads without "Expect: 100-continue". The JDK's URL connection writes the body while
   * some S3 servers (Jetty-based ones such as s3proxy) already answer or close, which fails the
   * upload with "Error writing request body to server" and costs a retry.
   */
  static final class WithoutExpectContinue implements ExecutionInterceptor {
    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
      return context.httpRequest().toBuilder().removeHeader("Expect").build();
    }
  }
}
