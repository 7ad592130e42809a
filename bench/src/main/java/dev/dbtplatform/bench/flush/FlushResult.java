package dev.dbtplatform.bench.flush;

/** One upload of a run volume: bytes, time and heap growth (bytes) sampled and after GC. */
public record FlushResult(String name, long bytes, double seconds, long peakHeapGrowth, long peakHeapGrowthAfterGc) {
  /** Decimal megabytes per second, as the target is written. */
  public double megabytesPerSecond() {
    return bytes / 1e6 / seconds;
  }

  public String figures() {
    return String.format("%.1f MB/s (%,d MiB in %.1f s), heap growth: peak %d MiB sampled, %d MiB held after GC",
        megabytesPerSecond(), bytes >> 20, seconds, peakHeapGrowth >> 20, peakHeapGrowthAfterGc >> 20);
  }
}
