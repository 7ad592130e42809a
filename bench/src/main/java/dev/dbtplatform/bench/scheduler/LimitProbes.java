package dev.dbtplatform.bench.scheduler;

import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunSpec;
import dev.dbtplatform.crd.ObjectRef;
import dev.dbtplatform.operator.job.JobRunFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The limit: at each fire time, a plain client creates one DbtRun beside each every-minute job's,
 * one thread per run woken by a timer at the fire, as the scheduler's reconciles are. Their skew
 * is what the stand-in, the watch and a timer cost on this machine under the same load, with no
 * scheduler in between. They go to a namespace the operator does not watch: otherwise the run
 * reconciler would work on them at the very moment the scheduler needs the API, and the limit
 * would slow down what it is compared with.
 */
final class LimitProbes implements AutoCloseable {
  static final String NAMESPACE = "limit";
  private static final String JOB = "limit-probe";
  private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(ZoneOffset.UTC);

  private final ScheduledExecutorService timers;
  private final AtomicInteger failures = new AtomicInteger();

  private LimitProbes(int threads) {
    this.timers = new ScheduledThreadPoolExecutor(threads);
  }

  /** Creates {@code perFire} runs at each of {@code fires}, as {@code clock} tells the time. */
  static LimitProbes schedule(KubernetesClient client, Clock clock, List<Instant> fires, int perFire) {
    LimitProbes probes = new LimitProbes(perFire);
    for (Instant fire : fires) {
      for (int i = 1; i <= perFire; i++) {
        DbtRun run = run(i, fire);
        long delay = Math.max(0, Duration.between(clock.instant(), fire).toNanos());
        probes.timers.schedule(() -> probes.create(client, run), delay, TimeUnit.NANOSECONDS);
      }
    }
    return probes;
  }

  /** The probe label of each of {@code perFire} runs at a fire, as its sightings name it. */
  static List<String> labels(int perFire) {
    List<String> labels = new ArrayList<>();
    for (int i = 1; i <= perFire; i++) {
      labels.add(label(i));
    }
    return labels;
  }

  /** Creates that failed: each is a fire the limit missed. */
  int failures() {
    return failures.get();
  }

  @Override
  public void close() {
    timers.shutdownNow();
  }

  private void create(KubernetesClient client, DbtRun run) {
    try {
      client.resource(run).create();
    } catch (RuntimeException e) {
      failures.incrementAndGet();
    }
  }

  private static String label(int probe) {
    return String.format("%03d", probe);
  }

  private static DbtRun run(int probe, Instant fire) {
    DbtRunSpec spec = new DbtRunSpec();
    spec.jobRef = ObjectRef.named(JOB);
    spec.runReasonCategory = DbtRunSpec.ReasonCategory.api;
    spec.runReason = "Benchmark limit";
    String label = label(probe);
    DbtRun run = new DbtRun(NAMESPACE, JOB + "-" + label + "-" + MINUTE.format(fire), spec);
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(RunSightings.PROBE_LABEL, label);
    run.getMetadata().setLabels(labels);
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(JobRunFactory.SCHEDULED_AT_ANNOTATION, fire.toString());
    run.getMetadata().setAnnotations(annotations);
    return run;
  }
}
