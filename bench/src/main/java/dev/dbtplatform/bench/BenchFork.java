package dev.dbtplatform.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs each benchmark of {@code make bench} in a JVM of its own, as JMH forks: a benchmark run
 * after others otherwise inherits their heap, their threads and a JIT compiler busy with their
 * code (the API's lookup rate was about a fifth lower measured fourth in one JVM than alone).
 * The child writes its section as JSON to a file the parent reads back.
 */
final class BenchFork {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BenchFork() {}

  /** In the parent: runs one benchmark in a child JVM with the same options, and answers its section. */
  static BenchSection run(Benchmark benchmark, BenchSettings settings, PrintStream log) throws Exception {
    Path section = Files.createTempFile("bench-" + benchmark.key() + "-", ".json");
    try {
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), BenchFork.class.getName(), benchmark.key(), section.toString()));
      settings.options().forEach((name, value) -> command.add("--" + name + "=" + value));
      Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
      child.getInputStream().transferTo(log);
      int exit = child.waitFor();
      if (exit != 0 || Files.size(section) == 0) {
        throw new IllegalStateException("benchmark " + benchmark.key() + " ended with exit code " + exit
            + " and no results; its output is above");
      }
      return JSON.readValue(section.toFile(), BenchSection.class);
    } finally {
      Files.deleteIfExists(section);
    }
  }

  /** In the child: {@code <key> <section file> --name=value...}. */
  public static void main(String[] args) throws Exception {
    String key = args[0];
    List<String> options = new ArrayList<>(List.of(args).subList(2, args.length));
    options.add("--only=" + key);
    options.add("--output=none");
    BenchSettings settings = BenchSettings.parse(options.toArray(String[]::new));
    Benchmark benchmark = BenchMain.BENCHMARKS.stream().filter(b -> b.key().equals(key)).findFirst().orElseThrow();
    BenchSection section = benchmark.run(settings, System.out);
    JSON.writeValue(Path.of(args[1]).toFile(), section);
    System.out.flush();
    // the embedded servers leave non-daemon threads behind; the section is written
    System.exit(0);
  }
}
