package dev.dbtplatform.contract;

import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * One of the five fields of a {@link Cron}: its range, optional names, and how it reads a field
 * text (numbers, names, {@code *}, ranges, lists, steps, and {@code ?} in the day fields).
 */
enum CronField {
  MINUTE("minute", 0, 59, List.of(), false),
  HOUR("hour", 0, 23, List.of(), false),
  DAY_OF_MONTH("day-of-month", 1, 31, List.of(), true),
  MONTH("month", 1, 12, List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), false),
  // 7 is Sunday too, as in most crons; read() folds it onto 0.
  DAY_OF_WEEK("day-of-week", 0, 7, List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"), true);

  /**
   * The values a field allows, and whether it restricts at all. Only an unrestricted day field
   * ({@code *}, {@code ?}, or {@code *} with a step of 1) gives way to the other one: with both restricted, a
   * day matches when either does (the rule of Vixie cron and of Kubernetes CronJobs).
   */
  record Values(BitSet allowed, boolean restricted) {}

  final String label;
  final int min;
  final int max;
  private final List<String> names;
  private final boolean questionMark;

  CronField(String label, int min, int max, List<String> names, boolean questionMark) {
    this.label = label;
    this.min = min;
    this.max = max;
    this.names = names;
    this.questionMark = questionMark;
  }

  /** @throws IllegalArgumentException naming this field and what it takes */
  Values read(String text) {
    BitSet allowed = new BitSet(max + 1);
    boolean restricted = true;
    for (String item : text.split(",", -1)) {
      if (!readItem(item, allowed)) {
        throw new IllegalArgumentException("the " + label + " field '" + abbreviate(text) + "' is not valid; it takes "
            + min + "-" + max + (names.isEmpty() ? "" : " or names like " + names.get(0))
            + ", '*', ranges like 1-5, lists like 1,15 and steps like */10");
      }
      if (item.equals("*") || item.equals("?") || item.equals("*/1")) {
        restricted = false;
      }
    }
    if (this == DAY_OF_WEEK && allowed.get(7)) {
      allowed.clear(7);
      allowed.set(0);
    }
    return new Values(allowed, restricted);
  }

  private boolean readItem(String item, BitSet allowed) {
    String base = item;
    int step = 1;
    int slash = item.indexOf('/');
    if (slash >= 0) {
      base = item.substring(0, slash);
      Integer parsedStep = number(item.substring(slash + 1));
      if (parsedStep == null || parsedStep < 1 || parsedStep > max) {
        return false;
      }
      step = parsedStep;
    }
    int from;
    int to;
    if (base.equals("*") || (questionMark && base.equals("?") && slash < 0)) {
      from = min;
      to = max;
    } else if (base.indexOf('-') >= 0) {
      int dash = base.indexOf('-');
      Integer first = value(base.substring(0, dash));
      Integer last = value(base.substring(dash + 1));
      if (first == null || last == null || first > last) {
        return false;
      }
      from = first;
      to = last;
    } else {
      Integer single = value(base);
      if (single == null) {
        return false;
      }
      from = single;
      // "5/15" is "from 5 on, every 15", as in most crons
      to = slash >= 0 ? max : single;
    }
    for (int v = from; v <= to; v += step) {
      allowed.set(v);
    }
    return true;
  }

  private Integer value(String text) {
    int named = names.indexOf(text.toUpperCase(Locale.ROOT));
    if (named >= 0) {
      return named + min;
    }
    Integer n = number(text);
    return n != null && n >= min && n <= max ? n : null;
  }

  private static Integer number(String text) {
    if (text.isEmpty() || text.length() > 4 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return null;
    }
    return Integer.parseInt(text);
  }

  static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
