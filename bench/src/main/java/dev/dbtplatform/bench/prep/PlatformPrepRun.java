package dev.dbtplatform.bench.prep;

import dev.dbtplatform.contract.RunPod;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunStatus;
import dev.dbtplatform.operator.resources.ResourceNames;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * One run through the platform: triggers the job through the API, follows the pod's log until dbt
 * prints its first line, then waits until the run has ended and its logs are flushed, so that
 * nothing of it still uses the cores when the next measurement starts.
 */
final class PlatformPrepRun {
  /** The log is read this often: the figures are this exact, and the reading costs next to nothing. */
  private static final Duration POLL = Duration.ofMillis(5);
  private static final Duration FIRST_LINE_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration END_TIMEOUT = Duration.ofMinutes(5);

  private final PrepPlatform platform;
  private final RunWatch watch;

  PlatformPrepRun(PrepPlatform platform, RunWatch watch) {
    this.platform = platform;
    this.watch = watch;
  }

  PlatformTimeline measure() throws IOException, InterruptedException, TimeoutException {
    Instant triggered = Instant.now();
    long apiRunId = platform.trigger();
    Instant answered = Instant.now();
    DbtRun run = platform.runOf(apiRunId);
    if (run == null) {
      throw new IllegalStateException("the API answered run " + apiRunId + " but there is no DbtRun for it");
    }
    String name = run.getMetadata().getName();
    String pod = ResourceNames.runPod(name);
    PodLogTail tail = new PodLogTail(platform.containerLog(pod, RunPod.CONTAINER));
    RuntimeLogReader reader = new RuntimeLogReader();
    Instant deadline = Instant.now().plus(FIRST_LINE_TIMEOUT);
    while (!reader.sawDbtFirstLine()) {
      tail.poll().forEach(reader::accept);
      if (reader.sawDbtFirstLine()) {
        break;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new TimeoutException("run " + name + ": no dbt output within " + FIRST_LINE_TIMEOUT.toMinutes()
            + " min; status " + describe(platform.run(name)));
      }
      Thread.sleep(POLL.toMillis());
    }
    Map<PrepPhase, Instant> moments = new java.util.EnumMap<>(reader.moments());
    moments.put(PrepPhase.API_ANSWERED, answered);
    watch.runCreated(name).ifPresent(at -> moments.put(PrepPhase.RUN_CREATED, at));
    watch.podCreated(pod).ifPresent(at -> moments.put(PrepPhase.POD_CREATED, at));
    watch.podRunning(pod).ifPresent(at -> moments.put(PrepPhase.POD_RUNNING, at));
    awaitEnd(name);
    return PlatformTimeline.of(name, triggered, moments, reader.dbtCommand(), reader.dbtFirstLine());
  }

  /** Until the run has ended and its logs are flushed (or it had no volume to flush). */
  private void awaitEnd(String name) throws InterruptedException, TimeoutException {
    Instant deadline = Instant.now().plus(END_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      DbtRun run = platform.run(name);
      DbtRunStatus s = run == null ? null : run.getStatus();
      if (s != null && s.phase != null && s.phase.isTerminal()
          && (s.volumeName == null || (s.logs != null && s.logs.flushedAt != null))) {
        return;
      }
      Thread.sleep(200);
    }
    throw new TimeoutException("run " + name + " did not end within " + END_TIMEOUT.toMinutes() + " min: "
        + describe(platform.run(name)));
  }

  private static String describe(DbtRun run) {
    if (run == null || run.getStatus() == null) {
      return "no status";
    }
    return run.getStatus().phase + (run.getStatus().message == null ? "" : ": " + run.getStatus().message);
  }
}
