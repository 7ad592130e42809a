package dev.dbtplatform.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbtplatform.contract.Cron;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * dbt Cloud's job {@code schedule} object and the spec's cron. dbt Cloud describes a schedule as
 * a date part (every day, some days of the week, or a custom cron) and a time part (every n
 * hours, or at given hours); here every schedule is a cron, shown back as a custom one.
 */
final class JobSchedules {
  private JobSchedules() {}

  static Map<String, Object> toJson(String cron) {
    Map<String, Object> date = new LinkedHashMap<>();
    date.put("type", "custom_cron");
    date.put("cron", cron);
    Map<String, Object> time = new LinkedHashMap<>();
    time.put("type", "every_hour");
    time.put("interval", 1);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cron", cron);
    m.put("date", date);
    m.put("time", time);
    return m;
  }

  /** The cron a {@code schedule} object describes; empty when it names none. */
  static Optional<String> cron(JsonBody schedule) {
    Optional<JsonBody> date = schedule.object("date");
    String dateType = date.flatMap(d -> d.string("type")).orElse(null);
    String cron;
    if (dateType == null || dateType.equals("custom_cron")) {
      cron = date.map(d -> SpecRules.optionalText(d, "cron")).orElse(null);
      if (cron == null) {
        cron = SpecRules.optionalText(schedule, "cron");
      }
    } else if (dateType.equals("every_day")) {
      cron = time(schedule) + " * * *";
    } else if (dateType.equals("days_of_week")) {
      cron = time(schedule) + " * * " + days(date.get());
    } else {
      throw date.get().invalid("type", "must be 'every_day', 'days_of_week' or 'custom_cron', not '"
          + QueryParams.abbreviate(dateType) + "'.");
    }
    if (cron == null) {
      return Optional.empty();
    }
    String checked = cron;
    Cron.problem(cron).ifPresent(problem -> {
      throw ApiException.badRequest("Field 'schedule.cron' is not a valid cron expression ('"
          + QueryParams.abbreviate(checked) + "'): " + problem + ".");
    });
    return Optional.of(cron.strip().replaceAll("\\s+", " "));
  }

  /** Minute and hour fields: on the hour, every n hours or at the given hours. */
  private static String time(JsonBody schedule) {
    Optional<JsonBody> time = schedule.object("time");
    String type = time.flatMap(t -> t.string("type")).orElse("every_hour");
    if (type.equals("every_hour")) {
      long interval = time.flatMap(t -> t.integer("interval", 0, 23)).orElse(1L);
      return interval <= 1 ? "0 *" : "0 */" + interval;
    }
    if (type.equals("at_exact_hours")) {
      return "0 " + numbers(time.get(), "hours", 0, 23);
    }
    throw time.get().invalid("type", "must be 'every_hour' or 'at_exact_hours', not '" + QueryParams.abbreviate(type) + "'.");
  }

  private static String days(JsonBody date) {
    return numbers(date, "days", 0, 7);
  }

  /** A non-empty list of whole numbers in a range, sorted and without repeats, comma-joined. */
  private static String numbers(JsonBody body, String field, int min, int max) {
    JsonNode list = body.raw(field);
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw body.invalid(field, "must be a non-empty list of numbers from " + min + " to " + max + ".");
    }
    TreeSet<Integer> values = new TreeSet<>();
    for (JsonNode item : list) {
      if (!item.isIntegralNumber() || item.asInt() < min || item.asInt() > max) {
        throw body.invalid(field, "must be a non-empty list of numbers from " + min + " to " + max + ".");
      }
      values.add(max == 7 && item.asInt() == 7 ? 0 : item.asInt()); // day 7 is Sunday, as 0 is
    }
    return values.stream().map(String::valueOf).collect(Collectors.joining(","));
  }
}
