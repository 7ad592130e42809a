package dev.dbtplatform.bench;

import java.io.PrintStream;
import java.util.Map;

/**
 * One of the benchmarks {@code make bench} runs: it measures a part of the platform and, in the
 * same run, the limit it is compared with, and answers its part of BENCHMARKS.md.
 */
public interface Benchmark {
  /** The benchmark's number in BENCHMARKS.md; the table is in this order. */
  int number();

  /** The name {@code --only=} selects it by. */
  String key();

  /** What it measures, in a few words. */
  String title();

  /** Its target, as BENCHMARKS.md states it beside the figures. */
  String target();

  /** The options it reads ({@code --name=value} on the command line), each with its default. */
  Map<String, String> options();

  /** Runs it against its limit; progress goes to {@code log}. */
  BenchSection run(BenchSettings settings, PrintStream log) throws Exception;
}
