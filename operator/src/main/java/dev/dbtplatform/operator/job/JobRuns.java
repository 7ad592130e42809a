package dev.dbtplatform.operator.job;

import dev.dbtplatform.crd.DbtJob;
import dev.dbtplatform.crd.DbtRun;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Map;

/**
 * The DbtRuns of a job, found by spec.jobRef: runs of a job carry no label that every creator
 * sets (kubectl users set none). Read from an index of the job reconciler's DbtRun informer once
 * it exists; until then (a reconciler called directly, as in tests) from the API.
 */
final class JobRuns {
  private static final String BY_JOB_INDEX = "by-job";

  private interface Source {
    List<DbtRun> runsOf(String namespace, String job);
  }

  private volatile Source source;

  JobRuns(KubernetesClient client) {
    this.source = (namespace, job) -> client.resources(DbtRun.class).inNamespace(namespace).list().getItems().stream()
        .filter(run -> job.equals(jobOf(run)))
        .toList();
  }

  /** Reads from the informer's cache from now on; call before the informer starts. */
  void readFrom(InformerEventSource<DbtRun, DbtJob> informer) {
    informer.addIndexers(Map.of(BY_JOB_INDEX, run -> jobOf(run) == null
        ? List.of() : List.of(key(run.getMetadata().getNamespace(), jobOf(run)))));
    this.source = (namespace, job) -> informer.byIndex(BY_JOB_INDEX, key(namespace, job));
  }

  List<DbtRun> runsOf(String namespace, String job) {
    return source.runsOf(namespace, job);
  }

  static String jobOf(DbtRun run) {
    return run.getSpec() == null || run.getSpec().jobRef == null ? null : run.getSpec().jobRef.name;
  }

  static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
