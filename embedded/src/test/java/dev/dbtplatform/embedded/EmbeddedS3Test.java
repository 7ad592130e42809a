package dev.dbtplatform.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedS3Test {
  @TempDir Path dir;

  @Test
  void listensOnLoopbackWithTheGivenKeysAndRejectsUnsignedRequests() throws IOException {
    try (EmbeddedS3 s3 = EmbeddedS3.start(dir.resolve("s3"), 0, "access-key", "secret-key")) {
      assertThat(s3.port()).isPositive();
      assertThat(s3.endpoint()).isEqualTo("http://127.0.0.1:" + s3.port());
      assertThat(s3.accessKey()).isEqualTo("access-key");
      assertThat(s3.secretKey()).isEqualTo("secret-key");
      assertThat(s3.region()).isEqualTo("us-east-1");
      assertThat(s3.isRunning()).isTrue();

      HttpURLConnection connection = (HttpURLConnection) URI.create(s3.endpoint() + "/").toURL().openConnection();
      try {
        assertThat(connection.getResponseCode()).isEqualTo(403);
      } finally {
        connection.disconnect();
      }
    }
  }

  @Test
  void keepsBucketsOnDiskAcrossStopRestartAndNewInstances() {
    Path data = dir.resolve("s3");
    int port;
    try (EmbeddedS3 s3 = EmbeddedS3.start(data, 0, "a", "b")) {
      port = s3.port();
      s3.createBucket("logs");
      s3.createBucket("logs");
      assertThat(s3.bucketExists("logs")).isTrue();
      assertThat(s3.bucketExists("other")).isFalse();

      s3.stop();
      s3.stop();
      assertThat(s3.isRunning()).isFalse();
      assertThat(answers(port)).isFalse();

      s3.restart();
      s3.restart();
      assertThat(s3.isRunning()).isTrue();
      assertThat(s3.port()).isEqualTo(port);
      assertThat(answers(port)).isTrue();
      assertThat(s3.bucketExists("logs")).isTrue();
    }
    assertThat(answers(port)).isFalse();
    assertThat(data.resolve("logs")).isDirectory();

    try (EmbeddedS3 again = EmbeddedS3.builder().dataDir(data).port(port).credentials("a", "b").start()) {
      assertThat(again.port()).isEqualTo(port);
      assertThat(again.bucketExists("logs")).isTrue();
    }
  }

  @Test
  void inMemoryWithRandomKeys() {
    try (EmbeddedS3 s3 = EmbeddedS3.builder().inMemory().start()) {
      assertThat(s3.dataDir()).isNull();
      assertThat(s3.accessKey()).isNotBlank();
      assertThat(s3.secretKey()).isNotBlank().isNotEqualTo(s3.accessKey());
      s3.createBucket("bkt");
      assertThat(s3.bucketExists("bkt")).isTrue();
      assertThat(answers(s3.port())).isTrue();
    }
  }

  @Test
  void rejectsInvalidBucketNames() {
    try (EmbeddedS3 s3 = EmbeddedS3.start(null, 0, "a", "b")) {
      for (String name : new String[] {"b", "Logs", "-logs", "logs_1", "a".repeat(64), null}) {
        assertThatThrownBy(() -> s3.createBucket(name)).as(name).isInstanceOf(IllegalArgumentException.class);
      }
      s3.createBucket("dbt-logs.v1");
      assertThat(s3.bucketExists("dbt-logs.v1")).isTrue();
    }
  }

  @Test
  void failsClearlyWhenThePortIsTaken() throws IOException {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      assertThatThrownBy(() -> EmbeddedS3.start(dir.resolve("s3"), taken.getLocalPort(), "a", "b"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
    }
  }

  @Test
  void closedInstanceRefusesUse() {
    EmbeddedS3 s3 = EmbeddedS3.start(null, 0, "a", "b");
    s3.close();
    s3.close();
    assertThatThrownBy(s3::restart).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> s3.createBucket("xyz")).isInstanceOf(IllegalStateException.class);
  }

  private static boolean answers(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (ConnectException e) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }
}
