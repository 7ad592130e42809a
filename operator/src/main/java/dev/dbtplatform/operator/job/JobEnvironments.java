package dev.dbtplatform.operator.job;

import dev.dbtplatform.crd.DbtEnvironment;
import dev.dbtplatform.crd.DbtJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/**
 * Whether a job's DbtEnvironment exists, which every pass of every job asks. Read from the job
 * reconciler's DbtEnvironment informer once it exists; until then (a reconciler called directly,
 * as in tests) from the API. Asking the API costs a request per pass: with thousands of jobs,
 * whose periodic rechecks come due together because they were all taken on at start-up, that
 * is a burst of thousands of GETs every few minutes, and a fire that falls in it waits behind
 * them for the API server.
 */
final class JobEnvironments {
  private interface Source {
    boolean exists(String namespace, String name);
  }

  private volatile Source source;

  JobEnvironments(KubernetesClient client) {
    this.source = (namespace, name) ->
        client.resources(DbtEnvironment.class).inNamespace(namespace).withName(name).get() != null;
  }

  /** Reads from the informer's cache from now on. */
  void readFrom(InformerEventSource<DbtEnvironment, DbtJob> informer) {
    this.source = (namespace, name) -> informer.get(new ResourceID(name, namespace)).isPresent();
  }

  boolean exists(String namespace, String name) {
    return source.exists(namespace, name);
  }
}
