package dev.dbtplatform.flush;

import dev.dbtplatform.contract.FlushConfig;
import dev.dbtplatform.contract.RuntimeEnv;
import dev.dbtplatform.embedded.EmbeddedS3;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** An S3 client on an {@link EmbeddedS3}, to check what a flush left there, and flush runners. */
final class S3TestSupport {
  static final String SECRET = "test-secret-key-do-not-print";
  static final String ACCESS = "test-access-key";
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private S3TestSupport() {}

  static String newBucketName() {
    return "logs-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
  }

  static S3Client client(EmbeddedS3 s3) {
    return S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .endpointOverride(URI.create(s3.endpoint()))
        .region(Region.of(s3.region()))
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
  }

  static Map<String, String> env(EmbeddedS3 s3, String bucket, String runPrefix, long retrySeconds, Path workspace, Path terminationLog) {
    Map<String, String> env = new HashMap<>();
    env.put(RuntimeEnv.FLUSH_CONFIG, new FlushConfig(s3.endpoint(), s3.region(), bucket, true, runPrefix, retrySeconds).toJson());
    env.put(RuntimeEnv.WORKSPACE, workspace.toString());
    env.put(RuntimeEnv.TERMINATION_LOG, terminationLog.toString());
    env.put("AWS_ACCESS_KEY_ID", s3.accessKey());
    env.put("AWS_SECRET_ACCESS_KEY", s3.secretKey());
    return env;
  }

  static List<String> keys(S3Client client, String bucket) {
    return client.listObjectsV2Paginator(list -> list.bucket(bucket)).contents().stream().map(S3Object::key).sorted().toList();
  }

  static String content(S3Client client, String bucket, String key) {
    return client.getObjectAsBytes(get -> get.bucket(bucket).key(key)).asUtf8String();
  }

  static String sha256(S3Client client, String bucket, String key) {
    try (InputStream in = client.getObject(get -> get.bucket(bucket).key(key))) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      int read;
      while ((read = in.read(buffer)) != -1) {
        digest.update(buffer, 0, read);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The outcome of one in-process flush. */
  record Run(int exitCode, String out, String err) {}

  static Run run(Map<String, String> env, FlushClock clock) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = FlushMain.run(env, o, e, clock, Backoff.DEFAULT);
    }
    Run run = new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    System.out.println("--- exit " + exit + "\n" + run.out() + run.err());
    return run;
  }
}
