package dev.dbtplatform.flush;

import dev.dbtplatform.embedded.EmbeddedS3;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Tests against a real S3 protocol server (s3proxy, on disk): one per test class, running again
 * before each test (a test may stop it), and a new bucket for each test.
 */
abstract class StoreTest {
  @TempDir static Path storeDir;
  static EmbeddedS3 store;
  static S3Client client;

  String bucket;

  @BeforeAll
  static void startStore() {
    store = EmbeddedS3.start(storeDir.resolve("s3"), 0, S3TestSupport.ACCESS, S3TestSupport.SECRET);
    client = S3TestSupport.client(store);
  }

  @AfterAll
  static void stopStore() {
    if (client != null) {
      client.close();
    }
    if (store != null) {
      store.close();
    }
  }

  @BeforeEach
  void newBucket() {
    store.restart();
    bucket = S3TestSupport.newBucketName();
    store.createBucket(bucket);
  }
}
