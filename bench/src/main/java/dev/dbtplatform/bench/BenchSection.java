package dev.dbtplatform.bench;

import java.util.List;
import java.util.Map;

/**
 * One benchmark's part of BENCHMARKS.md: its rows in the results table, the paragraph on how it
 * measures, and its raw figures by name (what the smoke tests check are there and positive).
 */
public record BenchSection(int number, String title, List<Row> rows, String method, Map<String, Double> figures) {
  /** One line of the results table; a limit's row has "limit" as its ratio and no target. */
  public record Row(String what, String measured, String vsLimit, String target, String verdict) {
    public static Row limit(String what, String measured) {
      return new Row(what, measured, "limit", "", "");
    }
  }

  public static String verdict(boolean met) {
    return met ? "met" : "missed";
  }
}
