package dev.dbtplatform.develop.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.dbtplatform.develop.DevelopException;
import io.javalin.http.Context;

/**
 * The API's JSON: snake_case field names (the records' camelCase components become exact_code,
 * unique_id, ...), times as RFC 3339 text in UTC.
 */
final class Json {
  private Json() {}

  static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  static void respond(Context ctx, int status, Object body) {
    try {
      ctx.status(status).contentType("application/json").result(MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a response", e);
    }
  }

  static String line(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
    }
  }

  /** The request's JSON object; an empty body is an empty object. */
  static JsonNode body(Context ctx) {
    byte[] bytes = ctx.bodyAsBytes();
    if (bytes.length == 0) {
      return MAPPER.createObjectNode();
    }
    JsonNode body;
    try {
      body = MAPPER.readTree(bytes);
    } catch (Exception e) {
      throw DevelopException.invalid("invalid_json", "The body is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (body == null || !body.isObject()) {
      throw DevelopException.invalid("invalid_json", "The body must be a JSON object.");
    }
    return body;
  }

  static String text(JsonNode body, String name) {
    JsonNode value = body.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw DevelopException.invalid("invalid_field", "\"" + name + "\" must be a string.");
    }
    return value.asText();
  }

  static String requiredText(JsonNode body, String name, String example) {
    String value = text(body, name);
    if (value == null) {
      throw DevelopException.invalid("missing_field", "The body needs \"" + name + "\", for example " + example + ".");
    }
    return value;
  }

  static Integer integer(JsonNode body, String name) {
    JsonNode value = body.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw DevelopException.invalid("invalid_field", "\"" + name + "\" must be a whole number.");
    }
    return value.asInt();
  }

  static boolean bool(JsonNode body, String name, boolean fallback) {
    JsonNode value = body.get(name);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isBoolean()) {
      throw DevelopException.invalid("invalid_field", "\"" + name + "\" must be true or false.");
    }
    return value.asBoolean();
  }

  static java.util.List<String> texts(JsonNode body, String name) {
    JsonNode value = body.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isArray()) {
      throw DevelopException.invalid("invalid_field", "\"" + name + "\" must be a list of strings.");
    }
    java.util.List<String> out = new java.util.ArrayList<>();
    for (JsonNode item : value) {
      if (!item.isTextual()) {
        throw DevelopException.invalid("invalid_field", "\"" + name + "\" must be a list of strings.");
      }
      out.add(item.asText());
    }
    return out;
  }
}
