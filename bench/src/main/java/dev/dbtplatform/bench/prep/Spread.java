package dev.dbtplatform.bench.prep;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Median and maximum of some repeated measurements, in seconds. */
record Spread(double median, double max, int count) {
  static Spread of(List<Double> seconds) {
    if (seconds.isEmpty()) {
      return new Spread(Double.NaN, Double.NaN, 0);
    }
    List<Double> sorted = new ArrayList<>(seconds);
    Collections.sort(sorted);
    int n = sorted.size();
    double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    return new Spread(median, sorted.get(n - 1), n);
  }

  String text() {
    return String.format("median %.2f s, max %.2f s (%d runs)", median, max, count);
  }
}
