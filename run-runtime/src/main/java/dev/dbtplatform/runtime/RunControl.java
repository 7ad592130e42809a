package dev.dbtplatform.runtime;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What the main thread and the SIGTERM hook share: whether the run must stop (timeout or
 * termination) and whether the main thread has finished writing the summary. The main thread
 * polls {@link #stopRequested()} while it waits for a process, so the main thread stops processes
 * and writes results; the hook asks and waits (bounded), and acts itself only when the main thread
 * is stuck.
 */
public final class RunControl {
  public enum Stop { TIMEOUT, TERMINATED }

  private final long startNanos = System.nanoTime();
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile long timeoutNanos; // 0: no timeout
  private volatile Stop stop;
  /** Also set when a timeout stop was already under way: the JVM is exiting either way. */
  private volatile boolean sigtermReceived;
  /** The process running now, so the SIGTERM hook can still stop it when the main thread is stuck. */
  private volatile Process current;

  void setTimeout(long seconds) {
    timeoutNanos = seconds > 0 ? TimeUnit.SECONDS.toNanos(seconds) : 0;
  }

  /** Null while the run may go on; the first reason to stop once one occurred (it never changes after). */
  synchronized Stop stopRequested() {
    if (stop == null && timeoutNanos > 0 && System.nanoTime() - startNanos >= timeoutNanos) {
      stop = Stop.TIMEOUT;
    }
    return stop;
  }

  /** Asks the run to stop because of SIGTERM. @return false when the run already finished */
  synchronized boolean requestTermination() {
    if (isFinished()) {
      return false;
    }
    sigtermReceived = true;
    if (stop == null) {
      stop = Stop.TERMINATED;
    }
    return true;
  }

  /** Called by the main thread once the summary is written. */
  void markFinished() {
    finished.countDown();
  }

  boolean isFinished() {
    return finished.getCount() == 0;
  }

  boolean awaitFinished(Duration timeout) {
    try {
      return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  void processStarted(Process process) {
    current = process;
  }

  void processEnded() {
    current = null;
  }

  Process currentProcess() {
    return current;
  }

  boolean terminationRequested() {
    return sigtermReceived;
  }

  long timeoutSeconds() {
    return TimeUnit.NANOSECONDS.toSeconds(timeoutNanos);
  }
}
