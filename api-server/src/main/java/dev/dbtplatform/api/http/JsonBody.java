package dev.dbtplatform.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A request's JSON object body with typed, checked access to its fields. A missing or empty body
 * is an empty object; a JSON null reads like a missing field (only {@link #present} tells them
 * apart, for updates where null clears); unknown fields are ignored (as
 * dbt Cloud does, so clients sending newer fields keep working). Anything else wrong is a 400 that
 * names the field.
 */
final class JsonBody {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ObjectNode node;
  /** Where this object sits in the body ("settings."), so that messages name nested fields in full. */
  private final String path;

  private JsonBody(ObjectNode node) {
    this(node, "");
  }

  private JsonBody(ObjectNode node, String path) {
    this.node = node;
    this.path = path;
  }

  static JsonBody of(Context ctx) {
    String text = ctx.body();
    if (text == null || text.isBlank()) {
      return new JsonBody(JsonNodeFactory.instance.objectNode());
    }
    JsonNode parsed;
    try {
      parsed = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      throw ApiException.badRequest("The request body is not valid JSON"
          + (loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")")
          + ": " + e.getOriginalMessage());
    }
    if (parsed == null || parsed.isNull()) {
      return new JsonBody(JsonNodeFactory.instance.objectNode());
    }
    if (!parsed.isObject()) {
      throw ApiException.badRequest("The request body must be a JSON object, like {\"name\": \"...\"}.");
    }
    return new JsonBody((ObjectNode) parsed);
  }

  static JsonBody of(ObjectNode node) {
    return new JsonBody(node);
  }

  /**
   * Whether the body has the field at all, as null too: on an update an explicit null clears a
   * value that an absent field leaves as it is.
   */
  boolean present(String field) {
    return node.has(field);
  }

  boolean has(String field) {
    JsonNode v = node.get(field);
    return v != null && !v.isNull();
  }

  JsonNode raw(String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v;
  }

  Optional<String> string(String field) {
    JsonNode v = raw(field);
    if (v == null) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw wrongType(field, "a string");
    }
    return Optional.of(v.asText());
  }

  String requiredString(String field) {
    String value = string(field).orElseThrow(() -> ApiException.badRequest("Field '" + path + field + "' is required."));
    if (value.isBlank()) {
      throw ApiException.badRequest("Field '" + path + field + "' must not be empty.");
    }
    return value;
  }

  Optional<Long> integer(String field) {
    JsonNode v = raw(field);
    if (v == null) {
      return Optional.empty();
    }
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return Optional.of(v.asLong());
    }
    // some clients send ids as strings
    if (v.isTextual() && !v.asText().isEmpty() && v.asText().length() <= 18 && v.asText().chars().allMatch(Character::isDigit)) {
      return Optional.of(Long.parseLong(v.asText()));
    }
    throw wrongType(field, "a whole number");
  }

  Optional<Long> integer(String field, long min, long max) {
    Optional<Long> value = integer(field);
    value.ifPresent(n -> {
      if (n < min || n > max) {
        throw ApiException.badRequest("Field '" + path + field + "' must be between " + min + " and " + max + ", got " + n + ".");
      }
    });
    return value;
  }

  Optional<Boolean> bool(String field) {
    JsonNode v = raw(field);
    if (v == null) {
      return Optional.empty();
    }
    if (!v.isBoolean()) {
      throw wrongType(field, "true or false");
    }
    return Optional.of(v.asBoolean());
  }

  Optional<List<String>> strings(String field) {
    JsonNode v = raw(field);
    if (v == null) {
      return Optional.empty();
    }
    if (!v.isArray()) {
      throw wrongType(field, "a list of strings");
    }
    List<String> values = new ArrayList<>();
    for (JsonNode item : v) {
      if (!item.isTextual()) {
        throw wrongType(field, "a list of strings");
      }
      values.add(item.asText());
    }
    return Optional.of(values);
  }

  Optional<JsonBody> object(String field) {
    JsonNode v = raw(field);
    if (v == null) {
      return Optional.empty();
    }
    if (!v.isObject()) {
      throw wrongType(field, "an object");
    }
    return Optional.of(new JsonBody((ObjectNode) v, path + field + "."));
  }

  /** A 400 naming the field with its full path in the body. */
  ApiException invalid(String field, String problem) {
    return ApiException.badRequest("Field '" + path + field + "' " + problem);
  }

  private ApiException wrongType(String field, String expected) {
    return invalid(field, "must be " + expected + ".");
  }
}
