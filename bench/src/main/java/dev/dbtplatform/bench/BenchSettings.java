package dev.dbtplatform.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * What {@code make bench} measures with. The defaults take a few minutes on two cores; every one
 * can be set as {@code --name=value} (see {@link #parse}).
 */
public record BenchSettings(int historyRuns, int concurrency, Duration warmup, Duration window, long flushBytes,
                            Set<String> only, Path output) {
  public static BenchSettings defaults() {
    return new BenchSettings(100_000, 16, Duration.ofSeconds(5), Duration.ofSeconds(10), 1024L << 20,
        Set.of("api", "flush"), Path.of("BENCHMARKS.md"));
  }

  /**
   * --history-runs=N, --concurrency=N, --warmup-seconds=N, --seconds=N (measured window per load),
   * --flush-mib=N, --only=api,flush, --output=FILE (or none).
   */
  public static BenchSettings parse(String... args) {
    BenchSettings s = defaults();
    for (String arg : args) {
      String[] kv = arg.replaceFirst("^--", "").split("=", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException("expected --name=value, got " + arg);
      }
      String v = kv[1];
      s = switch (kv[0]) {
        case "history-runs" -> new BenchSettings(Integer.parseInt(v), s.concurrency, s.warmup, s.window, s.flushBytes, s.only, s.output);
        case "concurrency" -> new BenchSettings(s.historyRuns, Integer.parseInt(v), s.warmup, s.window, s.flushBytes, s.only, s.output);
        case "warmup-seconds" -> new BenchSettings(s.historyRuns, s.concurrency, seconds(v), s.window, s.flushBytes, s.only, s.output);
        case "seconds" -> new BenchSettings(s.historyRuns, s.concurrency, s.warmup, seconds(v), s.flushBytes, s.only, s.output);
        case "flush-mib" -> new BenchSettings(s.historyRuns, s.concurrency, s.warmup, s.window, Long.parseLong(v) << 20, s.only, s.output);
        case "only" -> new BenchSettings(s.historyRuns, s.concurrency, s.warmup, s.window, s.flushBytes, Set.of(v.split(",")), s.output);
        case "output" -> new BenchSettings(s.historyRuns, s.concurrency, s.warmup, s.window, s.flushBytes, s.only,
            v.equals("none") ? null : Path.of(v));
        default -> throw new IllegalArgumentException("unknown option --" + kv[0]);
      };
    }
    return s;
  }

  private static Duration seconds(String v) {
    return Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
  }
}
