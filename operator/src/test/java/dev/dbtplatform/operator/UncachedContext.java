package dev.dbtplatform.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import io.javaoperatorsdk.operator.processing.event.EventSourceRetriever;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * A reconcile context whose caches are empty, so a reconciler called directly by a test asks
 * the API for what it needs: the test decides exactly which state each reconcile starts from.
 */
public record UncachedContext<P extends HasMetadata>(KubernetesClient client) implements Context<P> {
  @Override public Optional<RetryInfo> getRetryInfo() { return Optional.empty(); }
  @Override public <R> Set<R> getSecondaryResources(Class<R> type) { return Set.of(); }
  @Override public <R> Optional<R> getSecondaryResource(Class<R> type, String eventSourceName) { return Optional.empty(); }
  @Override public ControllerConfiguration<P> getControllerConfiguration() { return null; }
  @Override public ManagedWorkflowAndDependentResourceContext managedWorkflowAndDependentResourceContext() { return null; }
  @Override public EventSourceRetriever<P> eventSourceRetriever() { return null; }
  @Override public KubernetesClient getClient() { return client; }
  @Override public ExecutorService getWorkflowExecutorService() { return null; }
  @Override public P getPrimaryResource() { return null; }
  @Override public IndexedResourceCache<P> getPrimaryCache() { return null; }
  @Override public boolean isNextReconciliationImminent() { return false; }
  @Override public boolean isPrimaryResourceDeleted() { return false; }
  @Override public boolean isPrimaryResourceFinalStateUnknown() { return false; }
}
