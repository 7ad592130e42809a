package dev.dbtplatform.bench.scheduler;

import java.util.List;

/** Skews of the fires seen, in milliseconds: the median, the 99th percentile (nearest rank) and the worst. */
record Skews(int count, double p50Millis, double p99Millis, double maxMillis) {
  static Skews of(List<Double> millis) {
    if (millis.isEmpty()) {
      return new Skews(0, Double.NaN, Double.NaN, Double.NaN);
    }
    double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return new Skews(sorted.length, rank(sorted, 0.50), rank(sorted, 0.99), sorted[sorted.length - 1]);
  }

  String figures() {
    return count == 0 ? "no fires seen"
        : String.format("p50 %.0f ms, p99 %.0f ms, max %.0f ms", p50Millis, p99Millis, maxMillis);
  }

  private static double rank(double[] sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
