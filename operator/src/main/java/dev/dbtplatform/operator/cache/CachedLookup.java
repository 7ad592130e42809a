package dev.dbtplatform.operator.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Finds a resource by namespace and name: in a reconciler's informer cache once it has one, and
 * from the API until then (a reconciler called directly, as in tests). Reading the cache spares
 * the API server a request on every pass that needs the resource. What is found is the cache's
 * own object: read it, never change it.
 */
public final class CachedLookup<R extends HasMetadata> {
  /** What a lookup does when the cache does not hold the resource. */
  public enum OnMiss {
    /** Answer that it does not exist: the caller looks again later by itself. */
    ABSENT,
    /** Ask the API: the resource may have been created a moment ago, before the cache has it. */
    ASK_THE_API
  }

  private final BiFunction<String, String, Optional<R>> live;
  private final OnMiss onMiss;
  private volatile Function<ResourceID, Optional<R>> cache;

  public CachedLookup(BiFunction<String, String, Optional<R>> live, OnMiss onMiss) {
    this.live = live;
    this.onMiss = onMiss;
  }

  /** Reads from the informer's cache from now on. */
  public void readFrom(InformerEventSource<R, ?> informer) {
    this.cache = informer::get;
  }

  public Optional<R> find(String namespace, String name) {
    Function<ResourceID, Optional<R>> cached = cache;
    if (cached == null) {
      return live.apply(namespace, name);
    }
    Optional<R> found = cached.apply(new ResourceID(name, namespace));
    return found.isPresent() || onMiss == OnMiss.ABSENT ? found : live.apply(namespace, name);
  }
}
