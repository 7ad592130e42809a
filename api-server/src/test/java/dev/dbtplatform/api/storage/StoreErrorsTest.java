package dev.dbtplatform.api.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class StoreErrorsTest {
  static final String ENDPOINT = "http://minio:9000";

  @Test
  void serverErrorsAndThrottlingAreUnavailable() {
    assertThat(StoreErrors.translate(ENDPOINT, "read s3://b/k", s3Error(503, "SlowDown", "Please reduce your request rate.")))
        .isInstanceOf(ObjectStoreUnavailableException.class)
        .hasMessage("object store at http://minio:9000 is unavailable, cannot read s3://b/k: "
            + "HTTP 503 SlowDown: Please reduce your request rate.");
    assertThat(StoreErrors.translate(ENDPOINT, "read s3://b/k", s3Error(500, "InternalError", "oops")))
        .isInstanceOf(ObjectStoreUnavailableException.class);
    assertThat(StoreErrors.translate(ENDPOINT, "read s3://b/k", s3Error(429, "TooManyRequests", null)))
        .isInstanceOf(ObjectStoreUnavailableException.class);
  }

  @Test
  void networkErrorsAreUnavailable() {
    SdkClientException refused = SdkClientException.builder().message("Unable to execute HTTP request")
        .cause(new ConnectException("Connection refused")).build();

    assertThat(StoreErrors.translate(ENDPOINT, "list s3://b/p/", refused))
        .isInstanceOf(ObjectStoreUnavailableException.class)
        .hasMessage("object store at http://minio:9000 is unavailable, cannot list s3://b/p/: ConnectException: Connection refused");
  }

  @Test
  void refusalsAreNotUnavailable() {
    assertThat(StoreErrors.translate(ENDPOINT, "read s3://b/k", s3Error(403, "AccessDenied", "Access Denied")))
        .isExactlyInstanceOf(ObjectStoreException.class)
        .hasMessage("object store at http://minio:9000 refused to read s3://b/k: HTTP 403 AccessDenied: Access Denied");
    assertThat(StoreErrors.translate(ENDPOINT, "read s3://b/k", SdkClientException.create("Unable to load credentials")))
        .isExactlyInstanceOf(ObjectStoreException.class)
        .hasMessageEndingWith("SdkClientException: Unable to load credentials");
  }

  private static S3Exception s3Error(int status, String code, String message) {
    return (S3Exception) S3Exception.builder().statusCode(status)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
  }
}
