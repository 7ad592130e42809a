package dev.dbtplatform.local.clients;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks that a JSON object has a field a client reads, of the type the client uses it as: the
 * Python clients index these with {@code data["field"]}, so a missing one is a KeyError there.
 * Each check returns the value for further checks.
 */
public final class ReadFields {
  private ReadFields() {}

  /** Present, null allowed: the client reads the key and copes with None. */
  public static JsonNode present(JsonNode object, String field) {
    if (object == null || !object.isObject() || !object.has(field)) {
      throw new AssertionError("expected field '" + field + "' in " + shown(object));
    }
    return object.get(field);
  }

  public static long integer(JsonNode object, String field) {
    JsonNode value = present(object, field);
    if (!value.isIntegralNumber()) {
      throw new AssertionError("expected '" + field + "' to be an integer in " + shown(object));
    }
    return value.asLong();
  }

  public static String text(JsonNode object, String field) {
    JsonNode value = present(object, field);
    if (!value.isTextual()) {
      throw new AssertionError("expected '" + field + "' to be a string in " + shown(object));
    }
    return value.asText();
  }

  public static boolean bool(JsonNode object, String field) {
    JsonNode value = present(object, field);
    if (!value.isBoolean()) {
      throw new AssertionError("expected '" + field + "' to be true or false in " + shown(object));
    }
    return value.asBoolean();
  }

  public static JsonNode object(JsonNode object, String field) {
    JsonNode value = present(object, field);
    if (!value.isObject()) {
      throw new AssertionError("expected '" + field + "' to be an object in " + shown(object));
    }
    return value;
  }

  public static JsonNode array(JsonNode object, String field) {
    JsonNode value = present(object, field);
    if (!value.isArray()) {
      throw new AssertionError("expected '" + field + "' to be a list in " + shown(object));
    }
    return value;
  }

  /** A list of strings, as artifact paths and execute_steps are. */
  public static List<String> texts(JsonNode object, String field) {
    List<String> texts = new ArrayList<>();
    for (JsonNode item : array(object, field)) {
      if (!item.isTextual()) {
        throw new AssertionError("expected '" + field + "' to hold strings in " + shown(object));
      }
      texts.add(item.asText());
    }
    return texts;
  }

  /** A timestamp that dateutil's isoparse reads (dbt Cloud writes a space between date and time). */
  public static OffsetDateTime timestamp(JsonNode object, String field) {
    String text = text(object, field);
    try {
      return OffsetDateTime.parse(text.replace(' ', 'T'));
    } catch (DateTimeParseException e) {
      throw new AssertionError("expected '" + field + "' to be an ISO 8601 timestamp, got '" + text + "'", e);
    }
  }

  private static String shown(JsonNode node) {
    String text = String.valueOf(node);
    return text.length() <= 800 ? text : text.substring(0, 800) + "...";
  }
}
