package dev.dbtplatform.bench.operator;

import java.util.List;

/** Latencies in milliseconds, and the runs that never got there. */
public record Latencies(double p50Millis, double p99Millis, double maxMillis, int count, int missing) {

  /** From nanosecond latencies; a null is a run that never reached the point. */
  public static Latencies of(List<Long> nanos) {
    long[] seen = nanos.stream().filter(n -> n != null).mapToLong(Long::longValue).sorted().toArray();
    int missing = nanos.size() - seen.length;
    if (seen.length == 0) {
      return new Latencies(0, 0, 0, 0, missing);
    }
    return new Latencies(millis(percentile(seen, 50)), millis(percentile(seen, 99)), millis(seen[seen.length - 1]),
        seen.length, missing);
  }

  /** Nearest-rank percentile. */
  private static long percentile(long[] sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }

  public String figures() {
    return String.format("p50 %.0f ms, p99 %.0f ms, max %.0f ms%s", p50Millis, p99Millis, maxMillis,
        missing == 0 ? "" : ", " + missing + " never");
  }
}
