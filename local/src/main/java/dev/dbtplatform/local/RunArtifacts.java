package dev.dbtplatform.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbtplatform.embedded.EmbeddedS3;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Reads a run's logs and artifacts back from object storage, as a user of the platform would. */
public final class RunArtifacts implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final S3Client s3;
  private final String bucket;

  public RunArtifacts(EmbeddedS3 store, String bucket) {
    this.bucket = bucket;
    this.s3 = S3Client.builder()
        .endpointOverride(URI.create(store.endpoint()))
        .region(Region.of(store.region()))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(store.accessKey(), store.secretKey())))
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** Every key under the prefix. */
  public List<String> keys(String prefix) {
    List<String> keys = new ArrayList<>();
    s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents().stream()
        .map(S3Object::key).forEach(keys::add);
    return keys;
  }

  public String text(String key) {
    return s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asUtf8String();
  }

  /** Unique ids and statuses of the nodes in a run_results.json: "model.shop.orders success". */
  public List<String> runResults(String key) {
    try {
      JsonNode results = JSON.readTree(text(key)).path("results");
      List<String> nodes = new ArrayList<>();
      results.forEach(r -> nodes.add(r.path("unique_id").asText() + " " + r.path("status").asText()));
      return nodes;
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + key, e);
    }
  }

  /** The run id dbt recorded in run_results.json's metadata.env. */
  public String runIdIn(String runResultsKey) {
    try {
      return JSON.readTree(text(runResultsKey)).path("metadata").path("env").path("DBT_CLOUD_RUN_ID").asText(null);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + runResultsKey, e);
    }
  }

  @Override
  public void close() {
    s3.close();
  }
}
