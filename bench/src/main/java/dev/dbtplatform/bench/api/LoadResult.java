package dev.dbtplatform.bench.api;

/** What one fixed-concurrency load measured: requests completed in the window and their latency. */
public record LoadResult(String name, int concurrency, long requests, long errors, double seconds,
                         double p50Millis, double p99Millis, double warmupSeconds) {
  public double perSecond() {
    return requests / seconds;
  }

  public String figures() {
    return String.format("%,.0f req/s, p50 %.2f ms, p99 %.2f ms (%d errors)", perSecond(), p50Millis, p99Millis, errors);
  }
}
