package dev.dbtplatform.contract;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Optional;

/**
 * A five-field cron expression (minute hour day-of-month month day-of-week) in UTC, as Kubernetes
 * CronJobs write them: numbers, names of months and weekdays, {@code *}, ranges, lists, steps,
 * {@code ?} for "any" in the day fields, and 0 or 7 for Sunday. When both day fields are
 * restricted a day matches if either matches, as in standard cron.
 *
 * <p>The API checks a job's schedule with this class when the job is written and the operator's
 * scheduler fires by it, so what is accepted is exactly what runs. UTC has no daylight saving
 * time: every fire time exists exactly once.
 */
public final class Cron {
  public static final String FORMAT = "five fields separated by spaces: minute hour day-of-month month day-of-week, "
      + "in UTC, like '0 2 * * *' for 02:00 every day";

  /** Longer than any gap between fires: 29 February can be 8 years from the last one (2096 to 2104). */
  private static final int SEARCH_YEARS = 9;

  private final String expression;
  private final BitSet minutes;
  private final BitSet hours;
  private final CronField.Values daysOfMonth;
  private final BitSet months;
  private final CronField.Values daysOfWeek;

  private Cron(String expression, BitSet minutes, BitSet hours, CronField.Values daysOfMonth, BitSet months,
               CronField.Values daysOfWeek) {
    this.expression = expression;
    this.minutes = minutes;
    this.hours = hours;
    this.daysOfMonth = daysOfMonth;
    this.months = months;
    this.daysOfWeek = daysOfWeek;
  }

  /** @throws IllegalArgumentException saying what is wrong, in words for the person who wrote it */
  public static Cron parse(String expression) {
    String trimmed = expression == null ? "" : expression.strip();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("it is empty; a cron has " + FORMAT);
    }
    String[] parts = trimmed.split("\\s+");
    if (parts.length != CronField.values().length) {
      throw new IllegalArgumentException("it has " + parts.length + " field" + (parts.length == 1 ? "" : "s")
          + "; a cron has " + FORMAT);
    }
    Cron cron = new Cron(String.join(" ", parts),
        CronField.MINUTE.read(parts[0]).allowed(),
        CronField.HOUR.read(parts[1]).allowed(),
        CronField.DAY_OF_MONTH.read(parts[2]),
        CronField.MONTH.read(parts[3]).allowed(),
        CronField.DAY_OF_WEEK.read(parts[4]));
    cron.checkSomeDayExists(parts[2], parts[3]);
    return cron;
  }

  /** What is wrong with an expression, or empty when it is fine. */
  public static Optional<String> problem(String expression) {
    try {
      parse(expression);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** The expression with its fields separated by single spaces. */
  public String expression() {
    return expression;
  }

  /** The first fire strictly after the given instant. */
  public Instant next(Instant after) {
    LocalDateTime t = LocalDateTime.ofInstant(after, ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    LocalDateTime end = t.plusYears(SEARCH_YEARS);
    while (t.isBefore(end)) {
      if (!months.get(t.getMonthValue())) {
        t = t.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay();
      } else if (!dayMatches(t.toLocalDate())) {
        t = t.toLocalDate().plusDays(1).atStartOfDay();
      } else if (!hours.get(t.getHour())) {
        t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
      } else if (!minutes.get(t.getMinute())) {
        t = t.plusMinutes(1);
      } else {
        return t.toInstant(ZoneOffset.UTC);
      }
    }
    throw new IllegalStateException("cron '" + expression + "' has no fire within " + SEARCH_YEARS + " years");
  }

  /** The latest fire at or before the given instant. */
  public Instant lastFireAtOrBefore(Instant at) {
    LocalDateTime t = LocalDateTime.ofInstant(at, ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES);
    LocalDateTime end = t.minusYears(SEARCH_YEARS);
    while (t.isAfter(end)) {
      if (!months.get(t.getMonthValue())) {
        t = t.toLocalDate().withDayOfMonth(1).atStartOfDay().minusMinutes(1);
      } else if (!dayMatches(t.toLocalDate())) {
        t = t.toLocalDate().atStartOfDay().minusMinutes(1);
      } else if (!hours.get(t.getHour())) {
        t = t.truncatedTo(ChronoUnit.HOURS).minusMinutes(1);
      } else if (!minutes.get(t.getMinute())) {
        t = t.minusMinutes(1);
      } else {
        return t.toInstant(ZoneOffset.UTC);
      }
    }
    throw new IllegalStateException("cron '" + expression + "' has no fire within " + SEARCH_YEARS + " years");
  }

  private boolean dayMatches(LocalDate date) {
    boolean dayOfMonth = daysOfMonth.allowed().get(date.getDayOfMonth());
    boolean dayOfWeek = daysOfWeek.allowed().get(date.getDayOfWeek().getValue() % 7);
    if (daysOfMonth.restricted() && daysOfWeek.restricted()) {
      return dayOfMonth || dayOfWeek;
    }
    return dayOfMonth && dayOfWeek;
  }

  /**
   * Refuses a day of month that no allowed month has, like '0 0 30 2 *': accepted silently, it
   * would be a job that never runs. With a day of week as well, the weekdays still fire.
   */
  private void checkSomeDayExists(String dayOfMonthText, String monthText) {
    if (daysOfWeek.restricted() && daysOfMonth.restricted()) {
      return;
    }
    for (int month = months.nextSetBit(1); month >= 0; month = months.nextSetBit(month + 1)) {
      int longest = Month.of(month).maxLength();
      int firstDay = daysOfMonth.allowed().nextSetBit(1);
      if (firstDay >= 0 && firstDay <= longest) {
        return;
      }
    }
    throw new IllegalArgumentException("the day-of-month field '" + CronField.abbreviate(dayOfMonthText)
        + "' names no day that the month field '" + CronField.abbreviate(monthText) + "' has, so it would never run");
  }

  @Override
  public String toString() {
    return expression;
  }
}
