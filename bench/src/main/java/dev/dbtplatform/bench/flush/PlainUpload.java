package dev.dbtplatform.bench.flush;

import dev.dbtplatform.embedded.EmbeddedS3;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The limit of the log flush: the same files put with the AWS SDK and nothing else, one PUT each
 * from the file, over the same HTTP client as the flusher (URL connection, no Expect: 100-continue,
 * which s3proxy mishandles) so that only what the flusher adds is different.
 */
final class PlainUpload {
  private PlainUpload() {}

  static void upload(EmbeddedS3 s3, String bucket, String prefix, Path workspace, List<Path> files) {
    try (S3Client client = S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .endpointOverride(URI.create(s3.endpoint()))
        .region(Region.of(s3.region()))
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .overrideConfiguration(o -> o.addExecutionInterceptor(new NoExpectContinue()))
        .build()) {
      for (Path file : files) {
        String key = prefix + workspace.relativize(file).toString().replace('\\', '/');
        client.putObject(put -> put.bucket(bucket).key(key), RequestBody.fromFile(file));
      }
    }
  }

  private static final class NoExpectContinue implements ExecutionInterceptor {
    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
      return context.httpRequest().toBuilder().removeHeader("Expect").build();
    }
  }
}
