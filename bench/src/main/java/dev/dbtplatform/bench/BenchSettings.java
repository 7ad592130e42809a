package dev.dbtplatform.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code make bench} measures with: which benchmarks run, where the report goes, and the
 * options each benchmark reads, every one with a default (see {@link Benchmark#options()}).
 */
public record BenchSettings(List<String> only, Path output, Map<String, String> options) {

  /** Every benchmark with its defaults, writing BENCHMARKS.md. */
  public static BenchSettings defaults() {
    return parse();
  }

  /**
   * {@code --only=a,b} (benchmark keys; all by default), {@code --output=FILE} (or {@code none}),
   * and {@code --name=value} for any option a benchmark declares.
   */
  public static BenchSettings parse(String... args) {
    Map<String, String> options = new TreeMap<>();
    for (Benchmark b : BenchMain.BENCHMARKS) {
      options.putAll(b.options());
    }
    List<String> only = BenchMain.BENCHMARKS.stream().map(Benchmark::key).toList();
    Path output = Path.of("BENCHMARKS.md");
    for (String arg : args) {
      String[] kv = arg.replaceFirst("^--", "").split("=", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException("expected --name=value, got " + arg);
      }
      switch (kv[0]) {
        case "only" -> only = List.of(kv[1].split(","));
        case "output" -> output = kv[1].equals("none") ? null : Path.of(kv[1]);
        default -> {
          if (!options.containsKey(kv[0])) {
            throw new IllegalArgumentException("unknown option --" + kv[0] + "; known: --only, --output, --"
                + String.join(", --", options.keySet()));
          }
          options.put(kv[0], kv[1]);
        }
      }
    }
    for (String key : only) {
      if (BenchMain.BENCHMARKS.stream().noneMatch(b -> b.key().equals(key))) {
        throw new IllegalArgumentException("unknown benchmark " + key + " in --only");
      }
    }
    return new BenchSettings(only, output, options);
  }

  /** The same settings with some options changed: what tests use for a tiny run. */
  public BenchSettings with(String... nameValue) {
    Map<String, String> changed = new LinkedHashMap<>(options);
    for (int i = 0; i + 1 < nameValue.length; i += 2) {
      changed.put(nameValue[i], nameValue[i + 1]);
    }
    return new BenchSettings(only, output, changed);
  }

  public String text(String name) {
    String value = options.get(name);
    if (value == null) {
      throw new IllegalArgumentException("no option --" + name);
    }
    return value;
  }

  public int integer(String name) {
    return Integer.parseInt(text(name));
  }

  public double decimal(String name) {
    return Double.parseDouble(text(name));
  }

  /** An option given in seconds, fractions allowed. */
  public Duration seconds(String name) {
    return Duration.ofMillis(Math.round(decimal(name) * 1000));
  }

  /** The options as they would be written on the command line. */
  public String commandLine() {
    StringBuilder s = new StringBuilder();
    options.forEach((k, v) -> s.append(s.length() == 0 ? "" : " ").append("--").append(k).append('=').append(v));
    return s.toString();
  }
}
