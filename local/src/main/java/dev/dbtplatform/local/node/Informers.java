package dev.dbtplatform.local.node;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Informers over the configured namespaces (one per namespace, or one for all), started and synced. */
final class Informers {
  private static final Logger LOG = LoggerFactory.getLogger(Informers.class);

  private Informers() {}

  static <T extends HasMetadata, L extends KubernetesResourceList<T>, R extends Resource<T>> List<SharedIndexInformer<T>> start(
      MixedOperation<T, L, R> operation, LocalNodeConfig config, boolean withLabelSelector, ResourceEventHandler<T> handler) {
    List<FilterWatchListDeletable<T, L, R>> targets = new ArrayList<>();
    if (config.namespaces().isEmpty()) {
      targets.add(operation.inAnyNamespace());
    } else {
      for (String ns : config.namespaces()) {
        targets.add(operation.inNamespace(ns));
      }
    }
    List<SharedIndexInformer<T>> informers = new ArrayList<>();
    try {
      for (FilterWatchListDeletable<T, L, R> target : targets) {
        FilterWatchListDeletable<T, L, R> selected =
            withLabelSelector && !config.labelSelector().isEmpty() ? target.withLabels(config.labelSelector()) : target;
        informers.add(selected.inform(handler, config.resyncPeriod().toMillis()));
      }
    } catch (RuntimeException e) {
      stop(informers);
      throw e;
    }
    return informers;
  }

  static void stop(List<? extends SharedIndexInformer<?>> informers) {
    for (SharedIndexInformer<?> informer : informers) {
      try {
        informer.close();
      } catch (RuntimeException e) {
        LOG.debug("closing an informer: {}", e.toString());
      }
    }
  }

  static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** A handler that never lets an exception reach the informer. */
  static <T> ResourceEventHandler<T> handler(java.util.function.Consumer<T> onAddOrUpdate, java.util.function.Consumer<T> onDelete) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        run(() -> onAddOrUpdate.accept(obj));
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        run(() -> onAddOrUpdate.accept(newObj));
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        run(() -> onDelete.accept(obj));
      }

      private void run(Runnable r) {
        try {
          r.run();
        } catch (RuntimeException e) {
          LOG.warn("event handler failed", e);
        }
      }
    };
  }
}
