package dev.dbtplatform.operator.status;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * The operator's own status writes that its informer cache may not show yet. A reconcile is
 * started from the cache, and an event of another resource (the pod the operator just created,
 * the Job it just started) can start one before the cache has the status the last reconcile
 * wrote. Working from that older copy would repeat what is done (create the pod again, read it
 * back) only to have the status write refused. Instead, while the cache still shows a version
 * that one of the operator's writes replaced, the reconcile starts from what that write stored.
 *
 * <p>Versions are only compared for equality, as Kubernetes allows. An entry is dropped at the
 * resource's next pass that finds the cache showing any other version: the operator's write
 * itself, or a later one, which includes it. For the run reconciler, which is not
 * generation-aware, each write's own watch event starts that pass at once; for jobs it is the
 * job's next timer or run event. An entry whose resource is never passed again (deleted) is
 * dropped after {@link #KEPT_AT_MOST}.
 */
public final class OwnWrites<T extends HasMetadata> {
  /** Far beyond any lag of a working watch: an informer this far behind is resynchronizing anyway. */
  static final Duration KEPT_AT_MOST = Duration.ofMinutes(10);
  private static final int SWEEP_EVERY = 1024;

  private record Written<T>(T stored, Set<String> replaced, long atNanos) {}

  private final Map<String, Written<T>> byUid = new ConcurrentHashMap<>();
  private final UnaryOperator<T> copy;
  private final LongSupplier nanoTime;
  private int writesSinceSweep;

  public OwnWrites(UnaryOperator<T> copy) {
    this(copy, System::nanoTime);
  }

  OwnWrites(UnaryOperator<T> copy, LongSupplier nanoTime) {
    this.copy = copy;
    this.nanoTime = nanoTime;
  }

  /** Notes that the operator stored {@code stored} over the version {@code read} of the resource. */
  public void wrote(T read, T stored) {
    String readVersion = read.getMetadata().getResourceVersion();
    long now = nanoTime.getAsLong();
    byUid.compute(stored.getMetadata().getUid(), (uid, earlier) -> {
      Set<String> replaced = new HashSet<>();
      // A chain of writes the cache has not caught up with: each older version is still stale.
      if (earlier != null && readVersion != null
          && readVersion.equals(earlier.stored().getMetadata().getResourceVersion())) {
        replaced.addAll(earlier.replaced());
      }
      if (readVersion != null) {
        replaced.add(readVersion);
      }
      return new Written<>(stored, Set.copyOf(replaced), now);
    });
    sweepNowAndThen(now);
  }

  /**
   * The resource to work from: a copy of the operator's own last write while the cache shows a
   * version that write replaced, otherwise the cached resource itself.
   */
  public T freshest(T cached) {
    Written<T> written = byUid.get(cached.getMetadata().getUid());
    if (written == null) {
      return cached;
    }
    if (written.replaced().contains(cached.getMetadata().getResourceVersion())) {
      return copy.apply(written.stored());
    }
    byUid.remove(cached.getMetadata().getUid(), written); // the cache caught up
    return cached;
  }

  int size() {
    return byUid.size();
  }

  private void sweepNowAndThen(long now) {
    synchronized (this) {
      if (++writesSinceSweep < SWEEP_EVERY) {
        return;
      }
      writesSinceSweep = 0;
    }
    long oldest = now - KEPT_AT_MOST.toNanos();
    byUid.values().removeIf(w -> w.atNanos() - oldest < 0);
  }
}
