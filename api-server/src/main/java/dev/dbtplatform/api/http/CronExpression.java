package dev.dbtplatform.api.http;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks a five-field cron expression (minute hour day-of-month month day-of-week, in UTC) as
 * Kubernetes CronJobs write them: numbers, names of months and weekdays, {@code *}, ranges,
 * lists and steps, and {@code ?} for "any" in the day fields. The scheduler reads these later
 * with no one to tell; a mistake must be refused when the job is written.
 */
final class CronExpression {
  private record Field(String name, int min, int max, List<String> names, boolean questionMark) {}

  private static final List<Field> FIELDS = List.of(
      new Field("minute", 0, 59, List.of(), false),
      new Field("hour", 0, 23, List.of(), false),
      new Field("day-of-month", 1, 31, List.of(), true),
      new Field("month", 1, 12,
          List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), false),
      // 7 is Sunday too, as in most crons
      new Field("day-of-week", 0, 7, List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"), true));

  static final String FORMAT = "five fields separated by spaces: minute hour day-of-month month day-of-week, "
      + "in UTC, like '0 2 * * *' for 02:00 every day";

  private CronExpression() {}

  /** What is wrong with an expression, or empty when it is fine. */
  static Optional<String> problem(String cron) {
    String[] parts = cron.strip().split("\\s+");
    if (parts.length != FIELDS.size()) {
      return Optional.of("it has " + parts.length + " field" + (parts.length == 1 ? "" : "s") + "; a cron has " + FORMAT);
    }
    for (int i = 0; i < parts.length; i++) {
      Optional<String> problem = fieldProblem(FIELDS.get(i), parts[i]);
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> fieldProblem(Field field, String text) {
    for (String item : text.split(",", -1)) {
      if (!validItem(field, item)) {
        return Optional.of("the " + field.name() + " field '" + QueryParams.abbreviate(text) + "' is not valid; it takes "
            + field.min() + "-" + field.max() + (field.names().isEmpty() ? "" : " or names like " + field.names().get(0))
            + ", '*', ranges like 1-5, lists like 1,15 and steps like */10");
      }
    }
    return Optional.empty();
  }

  private static boolean validItem(Field field, String item) {
    String base = item;
    int slash = item.indexOf('/');
    if (slash >= 0) {
      base = item.substring(0, slash);
      Integer step = number(item.substring(slash + 1));
      if (step == null || step < 1 || step > field.max()) {
        return false;
      }
    }
    if (base.equals("*") || (field.questionMark() && base.equals("?") && slash < 0)) {
      return true;
    }
    int dash = base.indexOf('-');
    if (dash < 0) {
      return value(field, base) != null;
    }
    Integer from = value(field, base.substring(0, dash));
    Integer to = value(field, base.substring(dash + 1));
    return from != null && to != null && from <= to;
  }

  private static Integer value(Field field, String text) {
    int named = field.names().indexOf(text.toUpperCase(Locale.ROOT));
    if (named >= 0) {
      return named + field.min();
    }
    Integer n = number(text);
    return n != null && n >= field.min() && n <= field.max() ? n : null;
  }

  private static Integer number(String text) {
    if (text.isEmpty() || text.length() > 4 || !text.chars().allMatch(Character::isDigit)) {
      return null;
    }
    return Integer.parseInt(text);
  }
}
