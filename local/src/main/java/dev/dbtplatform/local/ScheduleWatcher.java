package dev.dbtplatform.local;

import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.operator.job.JobRunFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The last part of `make run`: prints each run of a scheduled job as it ends, with its fire time,
 * when the scheduler created it and how long it ran, so that the schedule can be watched.
 */
final class ScheduleWatcher implements AutoCloseable {
  private static final Duration POLL = Duration.ofSeconds(2);

  private final KubernetesClient client;
  private final String namespace;
  private final String job;
  private final PrintStream out;
  private final Set<String> reported = new HashSet<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "schedule-watcher");
    thread.setDaemon(true);
    return thread;
  });

  ScheduleWatcher(KubernetesClient client, String namespace, String job, PrintStream out) {
    this.client = client;
    this.namespace = namespace;
    this.job = job;
    this.out = out;
  }

  ScheduleWatcher start() {
    timer.scheduleWithFixedDelay(this::reportEnded, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void reportEnded() {
    try {
      client.resources(DbtRun.class).inNamespace(namespace).withLabel(JobRunFactory.JOB_LABEL, job).list().getItems()
          .stream()
          .filter(run -> run.getStatus() != null && run.getStatus().phase != null && run.getStatus().phase.isTerminal())
          .filter(run -> !reported.contains(run.getMetadata().getName()))
          .sorted(Comparator.comparing(run -> run.getMetadata().getName()))
          .forEach(run -> {
            reported.add(run.getMetadata().getName());
            out.println(describe(run));
          });
    } catch (KubernetesClientException e) {
      out.println("(cannot list the runs of " + job + ": " + e.getMessage() + ")");
    }
  }

  static String describe(DbtRun run) {
    String fire = run.getMetadata().getAnnotations() == null ? null
        : run.getMetadata().getAnnotations().get(JobRunFactory.SCHEDULED_AT_ANNOTATION);
    // creationTimestamp has whole seconds; dbt_platform_schedule_skew_seconds has the exact skew
    String timing = fire == null ? "" : ", fired " + fire + ", created " + run.getMetadata().getCreationTimestamp();
    Double seconds = run.getStatus().runSeconds;
    return "  " + run.getMetadata().getName() + ": " + run.getStatus().phase + timing
        + (seconds == null ? "" : String.format(Locale.ROOT, ", ran %.1fs", seconds))
        + (run.getStatus().waitSeconds == null || run.getStatus().waitSeconds == 0 ? ""
            : String.format(Locale.ROOT, ", waited %.1fs for the run before it", run.getStatus().waitSeconds));
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
