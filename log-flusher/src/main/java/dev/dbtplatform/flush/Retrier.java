package dev.dbtplatform.flush;

import dev.dbtplatform.contract.Causes;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Runs one object store call, retrying it with {@link Backoff} while the store is unreachable,
 * failing (5xx) or throttling, until it has been so for the retry budget; errors that waiting
 * cannot fix fail at once. The budget counts from the first failed attempt of the call, so a
 * store that comes and goes does not fail a long flush that keeps making progress.
 */
final class Retrier {
  private final String endpoint;
  private final String bucket;
  private final Duration budget;
  private final Backoff backoff;
  private final FlushClock clock;
  private final PrintStream log;

  Retrier(String endpoint, String bucket, Duration budget, Backoff backoff, FlushClock clock, PrintStream log) {
    this.endpoint = endpoint;
    this.bucket = bucket;
    this.budget = budget;
    this.backoff = backoff;
    this.clock = clock;
    this.log = log;
  }

  /**
   * @param what the call, for messages: "upload of steps/1/logs.txt"
   * @throws FlushFailure when the call fails for good
   */
  <T> T call(String what, Supplier<T> operation) {
    long budgetNanos = budget.toNanos();
    long outageStart = 0;
    boolean failing = false;
    boolean reconnected = false;
    int retries = 0;
    while (true) {
      long attemptStart = clock.nanoTime();
      try {
        return operation.get();
      } catch (FlushFailure e) {
        throw e;
      } catch (RuntimeException e) {
        FlushFailure local = localFailure(e);
        if (local != null) {
          throw local; // the volume, not the store, failed: waiting does not help
        }
        if (!S3Errors.isRetryable(e)) {
          throw fatal(what, e);
        }
        if (!failing && !reconnected && S3Errors.isDroppedConnection(e)) {
          // a pooled connection the store had closed: not an outage, so try a new one at once
          reconnected = true;
          log.printf("object store at %s: %s failed (%s), retrying at once on a new connection%n",
              endpoint, what, S3Errors.describe(e));
          continue;
        }
        if (!failing) {
          failing = true;
          outageStart = attemptStart;
        }
        long elapsed = clock.nanoTime() - outageStart;
        if (elapsed >= budgetNanos) {
          String state = S3Errors.isNetworkError(e) ? "unreachable" : "unavailable";
          throw new FlushFailure(String.format("object store at %s %s for %d s: %s (gave up after %d attempts at: %s)",
              endpoint, state, Duration.ofNanos(elapsed).toSeconds(), S3Errors.describe(e), retries + 1, what), e);
        }
        retries++;
        Duration delay = backoff.delay(retries);
        Duration left = Duration.ofNanos(budgetNanos - elapsed);
        if (delay.compareTo(left) > 0) {
          delay = left;
        }
        log.printf("object store at %s: %s failed (%s), retry %d in %.1f s%n",
            endpoint, what, S3Errors.describe(e), retries, delay.toMillis() / 1000.0);
        try {
          clock.sleep(delay);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new FlushFailure("interrupted while waiting for the object store at " + endpoint, interrupted);
        }
      }
    }
  }

  /** A FlushFailure that the SDK wrapped, thrown by a request body reading the run volume. */
  private static FlushFailure localFailure(Throwable e) {
    return (FlushFailure) Causes.first(e, FlushFailure.class);
  }

  private FlushFailure fatal(String what, RuntimeException e) {
    String code = S3Errors.errorCode(e);
    if ("NoSuchBucket".equals(code)) {
      return new FlushFailure(String.format("bucket \"%s\" does not exist at %s (%s failed: %s)",
          bucket, endpoint, what, S3Errors.describe(e)), e);
    }
    if (S3Errors.isCredentialError(e)) {
      return new FlushFailure(String.format("object store at %s refused the credentials or their permissions for "
          + "bucket \"%s\" (%s failed: %s); check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY and the bucket policy",
          endpoint, bucket, what, S3Errors.describe(e)), e);
    }
    if (S3Errors.isMissingCredentials(e)) {
      return new FlushFailure("no credentials for the object store at " + endpoint
          + ": set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (" + e.getMessage() + ")", e);
    }
    return new FlushFailure(String.format("object store at %s: %s failed: %s", endpoint, what, S3Errors.describe(e)), e);
  }
}
