package dev.dbtplatform.flush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class RetrierTest {
  static final String ENDPOINT = "http://127.0.0.1:9000";
  final FakeClock clock = new FakeClock();
  final ByteArrayOutputStream log = new ByteArrayOutputStream();
  final Backoff noJitter = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0, new Random(1));

  Retrier retrier(long budgetSeconds) {
    return new Retrier(ENDPOINT, "logs", Duration.ofSeconds(budgetSeconds), noJitter, clock,
        new PrintStream(log, true, StandardCharsets.UTF_8));
  }

  static SdkClientException refused() {
    return SdkClientException.builder().message("Unable to execute HTTP request: Connection refused")
        .cause(new ConnectException("Connection refused")).build();
  }

  static S3Exception s3Error(int status, String code, String message) {
    return (S3Exception) S3Exception.builder().statusCode(status)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
        .message(message).build();
  }

  /** Fails with the given errors in turn, then returns "ok". */
  static Supplier<String> failing(AtomicInteger calls, RuntimeException... errors) {
    return () -> {
      int call = calls.getAndIncrement();
      if (call < errors.length) {
        throw errors[call];
      }
      return "ok";
    };
  }

  @Test
  void retriesNetworkErrorsServerErrorsAndThrottlingUntilSuccess() {
    AtomicInteger calls = new AtomicInteger();
    String result = retrier(60).call("upload of k", failing(calls,
        refused(), s3Error(503, "SlowDown", "Please reduce your request rate."), s3Error(500, "InternalError", "oops"),
        s3Error(429, null, null)));

    assertThat(result).isEqualTo("ok");
    assertThat(calls).hasValue(5);
    assertThat(clock.sleeps).containsExactly(
        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8));
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("upload of k failed (Connection refused), retry 1 in 1.0 s")
        .contains("HTTP 503 SlowDown: Please reduce your request rate.");
  }

  @Test
  void givesUpWhenTheStoreStaysDownForTheBudgetNamingEndpointAndLastError() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> retrier(60).call("HEAD k", () -> {
      calls.incrementAndGet();
      throw refused();
    }))
        .isInstanceOf(FlushFailure.class)
        .hasMessageStartingWith("object store at http://127.0.0.1:9000 unreachable for 60 s: Connection refused");
    // 1 + 2 + 4 + 8 + 16 s, then the rest of the budget (29 s) instead of 30 s
    assertThat(clock.sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
        Duration.ofSeconds(8), Duration.ofSeconds(16), Duration.ofSeconds(29));
    assertThat(calls).hasValue(7);
  }

  static SdkClientException dropped() {
    return SdkClientException.builder().message("Unable to execute HTTP request: Error writing request body to server")
        .cause(new java.io.IOException("Error writing request body to server")).build();
  }

  @Test
  void aDroppedPooledConnectionIsRetriedAtOnceThenCountsAsAnOutage() {
    AtomicInteger calls = new AtomicInteger();
    assertThat(retrier(60).call("upload of k", failing(calls, dropped()))).isEqualTo("ok");
    assertThat(calls).hasValue(2);
    assertThat(clock.sleeps).isEmpty();
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("upload of k failed (IOException: Error writing request body to server), retrying at once");

    AtomicInteger again = new AtomicInteger();
    assertThat(retrier(60).call("upload of k", failing(again, dropped(), dropped(), dropped()))).isEqualTo("ok");
    assertThat(again).hasValue(4);
    assertThat(clock.sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  @Test
  void serverErrorsThatPersistAreReportedAsUnavailable() {
    assertThatThrownBy(() -> retrier(10).call("upload of k", () -> {
      throw s3Error(502, null, "Bad Gateway");
    })).isInstanceOf(FlushFailure.class).hasMessageContaining("unavailable for 10 s: HTTP 502");
  }

  @Test
  void slowFailingAttemptsCountAgainstTheBudget() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> retrier(30).call("HEAD k", () -> {
      calls.incrementAndGet();
      clock.advance(Duration.ofSeconds(20)); // a connect timeout
      throw refused();
    })).isInstanceOf(FlushFailure.class).hasMessageContaining("unreachable for 41 s");
    assertThat(calls).hasValue(2);
    assertThat(clock.sleeps).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void aSuccessStartsTheBudgetAfresh() {
    Retrier retrier = retrier(10);
    for (int i = 0; i < 3; i++) {
      AtomicInteger calls = new AtomicInteger();
      assertThat(retrier.call("op " + i, failing(calls, refused(), refused(), refused()))).isEqualTo("ok");
    }
    assertThat(clock.totalSlept()).isEqualTo(Duration.ofSeconds(21));
  }

  @Test
  void zeroBudgetTriesOnce() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> retrier(0).call("HEAD k", failing(calls, refused())))
        .isInstanceOf(FlushFailure.class).hasMessageContaining("unreachable for 0 s: Connection refused");
    assertThat(calls).hasValue(1);
    assertThat(clock.sleeps).isEmpty();
  }

  @Test
  void errorsThatWaitingCannotFixFailAtOnce() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> retrier(60).call("upload of k", failing(calls,
        s3Error(404, "NoSuchBucket", "The specified bucket does not exist"))))
        .isInstanceOf(FlushFailure.class)
        .hasMessageStartingWith("bucket \"logs\" does not exist at http://127.0.0.1:9000");
    assertThatThrownBy(() -> retrier(60).call("upload of k", failing(new AtomicInteger(),
        s3Error(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records."))))
        .isInstanceOf(FlushFailure.class)
        .hasMessageContaining("refused the credentials").hasMessageContaining("InvalidAccessKeyId");
    assertThatThrownBy(() -> retrier(60).call("upload of k", failing(new AtomicInteger(),
        s3Error(403, "AccessDenied", "Access Denied"))))
        .isInstanceOf(FlushFailure.class).hasMessageContaining("HTTP 403 AccessDenied: Access Denied");
    assertThatThrownBy(() -> retrier(60).call("upload of k", failing(new AtomicInteger(),
        SdkClientException.create("Unable to load credentials from any of the providers in the chain"))))
        .isInstanceOf(FlushFailure.class).hasMessageContaining("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    assertThatThrownBy(() -> retrier(60).call("upload of k", failing(new AtomicInteger(),
        s3Error(400, "EntityTooLarge", "too large"))))
        .isInstanceOf(FlushFailure.class).hasMessageContaining("upload of k failed: HTTP 400 EntityTooLarge");
    assertThat(calls).hasValue(1);
    assertThat(clock.sleeps).isEmpty();
  }

  @Test
  void aVolumeReadFailureWrappedByTheSdkIsNotRetried() {
    FlushFailure local = new FlushFailure("cannot read /workspace/logs/step-1.log: java.io.IOException: EIO");
    SdkClientException wrapped = SdkClientException.builder().message("request body failed")
        .cause(new java.io.UncheckedIOException(new java.io.IOException("wrapped", local))).build();
    assertThatThrownBy(() -> retrier(60).call("upload of k", failing(new AtomicInteger(), wrapped)))
        .isSameAs(local);
    assertThat(clock.sleeps).isEmpty();
  }

  @Test
  void interruptStopsTheWait() {
    FlushClock interrupting = new FlushClock() {
      @Override
      public java.time.Instant now() {
        return clock.now();
      }

      @Override
      public long nanoTime() {
        return clock.nanoTime();
      }

      @Override
      public void sleep(Duration duration) throws InterruptedException {
        throw new InterruptedException();
      }
    };
    Retrier retrier = new Retrier(ENDPOINT, "logs", Duration.ofSeconds(60), noJitter, interrupting,
        new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      assertThatThrownBy(() -> retrier.call("HEAD k", failing(new AtomicInteger(), refused())))
          .isInstanceOf(FlushFailure.class).hasMessageContaining("interrupted");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
