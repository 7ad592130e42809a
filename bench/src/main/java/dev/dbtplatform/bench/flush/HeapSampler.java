package dev.dbtplatform.bench.flush;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Heap growth over a baseline taken right after a GC, two ways. The sampled peak of used heap
 * counts garbage not yet collected, so it depends on the collector's young generation as much as
 * on the code; the peak of heap in use right after each GC is what the code actually holds, which
 * is what "memory bounded by streaming" is about. Both are reported.
 */
final class HeapSampler implements AutoCloseable {
  /** GC reports every pool, Metaspace and code cache too: only the heap's count. */
  private static final Set<String> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
  private final long baseline;
  private final AtomicLong peakUsed = new AtomicLong();
  private final AtomicLong peakAfterGc = new AtomicLong();
  private final Thread sampler;
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener onGc = this::gcDone;
  private volatile boolean running = true;

  HeapSampler() {
    System.gc();
    baseline = used();
    peakUsed.set(baseline);
    peakAfterGc.set(baseline);
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(onGc, null, null);
        emitters.add(emitter);
      }
    }
    sampler = new Thread(() -> {
      while (running) {
        peakUsed.accumulateAndGet(used(), Math::max);
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  private static long used() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private void gcDone(Notification n, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      return;
    }
    var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
    long after = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
        .filter(e -> HEAP_POOLS.contains(e.getKey()) && e.getValue() != null)
        .mapToLong(e -> e.getValue().getUsed()).sum();
    peakAfterGc.accumulateAndGet(after, Math::max);
  }

  /** Peak sampled used heap minus the baseline. */
  long peakGrowth() {
    return Math.max(0, peakUsed.get() - baseline);
  }

  /** Peak heap in use after a GC minus the baseline (0 when no GC ran: nothing was seen held). */
  long peakGrowthAfterGc() {
    return Math.max(0, peakAfterGc.get() - baseline);
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    sampler.join();
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(onGc);
      } catch (Exception e) {
        // already gone
      }
    }
  }
}
