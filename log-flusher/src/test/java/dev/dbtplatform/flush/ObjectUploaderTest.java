package dev.dbtplatform.flush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ObjectUploaderTest {
  static final long MIB = 1024 * 1024;

  ObjectUploader uploader() {
    Retrier retrier = new Retrier("http://x", "b", Duration.ZERO, Backoff.DEFAULT, new FakeClock(),
        new PrintStream(new ByteArrayOutputStream()));
    return new ObjectUploader(null, "b", retrier, ObjectUploader.DEFAULT_MULTIPART_THRESHOLD, ObjectUploader.DEFAULT_PART_SIZE);
  }

  @Test
  void partsAreEightMibUnlessTheFileNeedsMoreThanTenThousand() {
    ObjectUploader uploader = uploader();
    assertThat(uploader.partSizeFor(40 * MIB)).isEqualTo(8 * MIB);
    assertThat(uploader.partSizeFor(10_000 * 8 * MIB)).isEqualTo(8 * MIB);
    long huge = 10_000 * 8 * MIB + 1;
    long part = uploader.partSizeFor(huge);
    assertThat(part).isEqualTo(9 * MIB);
    assertThat((huge + part - 1) / part).isLessThanOrEqualTo(10_000);
  }

  @Test
  void contentTypes() {
    assertThat(ObjectUploader.contentType("p/steps/1/logs.txt")).isEqualTo("text/plain; charset=utf-8");
    assertThat(ObjectUploader.contentType("p/run-summary.json")).isEqualTo("application/json");
    assertThat(ObjectUploader.contentType("p/steps/4/artifacts/graph.gpickle")).isEqualTo("application/octet-stream");
  }

  @Test
  void partsBelowTheS3MinimumAreRefused() {
    Retrier retrier = new Retrier("http://x", "b", Duration.ZERO, Backoff.DEFAULT, new FakeClock(),
        new PrintStream(new ByteArrayOutputStream()));
    assertThatThrownBy(() -> new ObjectUploader(null, "b", retrier, 16 * MIB, MIB))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
