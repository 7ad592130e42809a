package dev.dbtplatform.api.storage;

import dev.dbtplatform.embedded.EmbeddedS3;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An in-memory embedded S3 server, with a plain S3 client that writes what a flush would have left,
 * independent of the code under test.
 */
public final class TestStore implements AutoCloseable {
  static final String ACCESS = "api-test-access";
  static final String SECRET = "api-test-secret-must-not-leak";
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  final EmbeddedS3 server;
  final S3Client writer;

  private TestStore(EmbeddedS3 server) {
    this.server = server;
    this.writer = S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .endpointOverride(server.endpointUri())
        .region(Region.of(server.region()))
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .overrideConfiguration(o -> o.addExecutionInterceptor(new WithoutExpectContinue()))
        .build();
  }

  public static TestStore start() {
    return new TestStore(EmbeddedS3.builder().inMemory().credentials(ACCESS, SECRET).start());
  }

  /** The settings a deployment would give the API server for this store. */
  public ObjectStoreSettings settings() {
    return new ObjectStoreSettings(server.endpointUri(), server.region(), ACCESS, SECRET, true);
  }

  public String newBucket() {
    String bucket = "runs-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
    server.createBucket(bucket);
    return bucket;
  }

  public void put(String bucket, String key, String text) {
    put(bucket, key, text.getBytes(StandardCharsets.UTF_8));
  }

  public void put(String bucket, String key, byte[] bytes) {
    writer.putObject(put -> put.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
  }

  /** Every key in the bucket, all pages. */
  public List<String> keys(String bucket) {
    return writer.listObjectsV2Paginator(list -> list.bucket(bucket)).contents().stream().map(S3Object::key).toList();
  }

  @Override
  public void close() {
    writer.close();
    server.close();
  }
}
