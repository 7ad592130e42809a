package dev.dbtplatform.bench.prep;

import dev.dbtplatform.bench.BenchSection;
import dev.dbtplatform.bench.BenchSettings;
import dev.dbtplatform.bench.Benchmark;
import dev.dbtplatform.local.node.FileTrees;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 5: how long the platform takes from an API trigger to dbt's first line, against
 * running the same first dbt command directly, in the same run and on the same machine.
 */
public final class PrepBench implements Benchmark {
  static final double TARGET_OVERHEAD_SECONDS = 2.0;

  @Override
  public int number() {
    return 5;
  }

  @Override
  public String key() {
    return "prep";
  }

  @Override
  public String title() {
    return "Prep time: API trigger to dbt's first line";
  }

  @Override
  public String target() {
    return "prep-time overhead ≤ 2 s over running dbt directly";
  }

  @Override
  public Map<String, String> options() {
    return Map.of("prep-runs", "5", "prep-warmups", "1");
  }

  @Override
  public BenchSection run(BenchSettings settings, PrintStream log) throws Exception {
    int runs = settings.integer("prep-runs");
    int warmups = settings.integer("prep-warmups");
    if (runs < 1 || warmups < 0) {
      throw new IllegalArgumentException("--prep-runs must be at least 1 and --prep-warmups at least 0");
    }
    Path state = Files.createTempDirectory("dbt-platform-prep-");
    try {
      PrepResults results = measure(state, runs, warmups, log);
      return PrepSection.of(results);
    } finally {
      FileTrees.deleteRecursively(state);
    }
  }

  /**
   * Platform and direct runs taken in turns, so that whatever else loads the machine meanwhile
   * weighs on both alike; the warm-up pairs first, reported apart.
   */
  static PrepResults measure(Path state, int runs, int warmups, PrintStream log) throws Exception {
    long started = System.nanoTime();
    try (PrepPlatform platform = PrepPlatform.start(PrepPlatform.findProjectRoot(), state.resolve("platform"));
         RunWatch watch = new RunWatch(platform.platform.client(), platform.platform.namespace())) {
      double startup = (System.nanoTime() - started) / 1e9;
      log.printf("prep: platform started in %.1f s%n", startup);
      DirectDbt direct = DirectDbt.prepare(platform, state.resolve("direct"));
      PlatformPrepRun platformRun = new PlatformPrepRun(platform, watch);
      List<PlatformTimeline> platformWarmups = new ArrayList<>();
      List<Double> directWarmups = new ArrayList<>();
      List<PlatformTimeline> platformRuns = new ArrayList<>();
      List<Double> directRuns = new ArrayList<>();
      for (int i = 0; i < warmups + runs; i++) {
        boolean warmup = i < warmups;
        PlatformTimeline timeline = platformRun.measure();
        double directSeconds = direct.measure(timeline.dbtArguments());
        (warmup ? platformWarmups : platformRuns).add(timeline);
        (warmup ? directWarmups : directRuns).add(directSeconds);
        log.printf("prep: %s %s: platform %.2f s (%s), `%s` directly %.2f s%n", warmup ? "warm-up" : "run",
            timeline.runName(), timeline.total(), PrepSection.phases(timeline.seconds()), timeline.dbtCommand(),
            directSeconds);
      }
      return new PrepResults(startup, platformWarmups, directWarmups, platformRuns, directRuns);
    }
  }
}
