package dev.dbtplatform.develop.http;

import dev.dbtplatform.develop.DevelopException;
import io.javalin.http.Context;

/** Query parameters, checked. */
final class Query {
  private Query() {}

  static Long number(Context ctx, String name, long min, long max) {
    String value = ctx.queryParam(name);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      long n = Long.parseLong(value.strip());
      if (n < min || n > max) {
        throw DevelopException.invalid("invalid_parameter", name + " must be between " + min + " and " + max + ".");
      }
      return n;
    } catch (NumberFormatException e) {
      throw DevelopException.invalid("invalid_parameter", name + " must be a whole number, not \"" + value + "\".");
    }
  }

  static boolean flag(Context ctx, String name) {
    String value = ctx.queryParam(name);
    if (value == null || value.isBlank()) {
      return false;
    }
    return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw DevelopException.invalid("invalid_parameter", name + " must be true or false.");
    };
  }
}
