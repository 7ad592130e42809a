package dev.dbtplatform.operator.job;

import dev.dbtplatform.crd.DbtEnvironment;
import dev.dbtplatform.crd.DbtJob;
import dev.dbtplatform.operator.cache.CachedLookup;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Optional;

/**
 * Whether a job's DbtEnvironment exists, which every pass of every job asks. Read from the job
 * reconciler's DbtEnvironment informer once it exists. Asking the API costs a request per pass:
 * with thousands of jobs, whose periodic rechecks come due together because they were all taken
 * on at start-up, that is a burst of thousands of GETs every few minutes, and a fire that falls
 * in it waits behind them for the API server. One not in the cache counts as missing: the job
 * looks again by itself.
 */
final class JobEnvironments {
  private final CachedLookup<DbtEnvironment> lookup;

  JobEnvironments(KubernetesClient client) {
    this.lookup = new CachedLookup<>((namespace, name) -> Optional.ofNullable(
        client.resources(DbtEnvironment.class).inNamespace(namespace).withName(name).get()), CachedLookup.OnMiss.ABSENT);
  }

  void readFrom(InformerEventSource<DbtEnvironment, DbtJob> informer) {
    lookup.readFrom(informer);
  }

  boolean exists(String namespace, String name) {
    return lookup.find(namespace, name).isPresent();
  }
}
