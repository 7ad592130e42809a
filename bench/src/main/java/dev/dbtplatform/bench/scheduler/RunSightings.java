package dev.dbtplatform.bench.scheduler;

import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.operator.job.JobRunFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every DbtRun for a fire, in any namespace, as a watch delivers it: when the benchmark saw it
 * appear, on the clock the operator schedules by. A watch rather than an informer: an informer
 * hands events on after updating its cache, one more step between the API and the sighting.
 * A run that appears twice under the same name (deleted and created again) is sighted twice.
 */
final class RunSightings implements Watcher<DbtRun>, AutoCloseable {
  /** The label the limit's runs carry, with the number of the every-minute job they stand beside. */
  static final String PROBE_LABEL = "bench.dbtplatform.dev/probe";

  /**
   * @param source the job of a scheduled run, or the probe's label value for one of the limit's
   * @param created the API server's creationTimestamp, as it wrote it
   */
  record Sighting(String name, String source, boolean probe, Instant fire, Instant seen, String created) {}

  private final Clock clock;
  private final List<Sighting> sightings = new ArrayList<>();
  private volatile WatcherException closedWith;
  private Watch watch;

  private RunSightings(Clock clock) {
    this.clock = clock;
  }

  static RunSightings watch(KubernetesClient client, Clock clock) {
    RunSightings sightings = new RunSightings(clock);
    sightings.watch = client.resources(DbtRun.class).inAnyNamespace().watch(sightings);
    return sightings;
  }

  @Override
  public void eventReceived(Action action, DbtRun run) {
    if (action != Action.ADDED) {
      return;
    }
    Instant seen = clock.instant();
    Map<String, String> annotations = run.getMetadata().getAnnotations();
    Map<String, String> labels = run.getMetadata().getLabels();
    Instant fire = fire(annotations == null ? null : annotations.get(JobRunFactory.SCHEDULED_AT_ANNOTATION));
    if (fire == null) {
      return; // not a run for a fire: nothing here creates one, but a stray one is no sighting
    }
    String probe = labels == null ? null : labels.get(PROBE_LABEL);
    String source = probe != null ? probe : run.getSpec().jobRef.name;
    synchronized (sightings) {
      sightings.add(new Sighting(run.getMetadata().getName(), source, probe != null, fire, seen,
          run.getMetadata().getCreationTimestamp()));
    }
  }

  @Override
  public void onClose(WatcherException cause) {
    closedWith = cause;
  }

  /** Everything sighted so far; throws if the watch broke, since sightings may then be missing. */
  List<Sighting> all() {
    if (closedWith != null) {
      throw new IllegalStateException("the DbtRun watch closed: sightings would be missing", closedWith);
    }
    synchronized (sightings) {
      return List.copyOf(sightings);
    }
  }

  @Override
  public void close() {
    watch.close();
  }

  private static Instant fire(String text) {
    try {
      return text == null ? null : Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
