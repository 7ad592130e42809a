package dev.dbtplatform.api.http;

import io.javalin.http.Context;

/** Numeric ids in paths: anything else is a 400 that says what was expected. */
final class PathIds {
  private PathIds() {}

  static long parse(Context ctx, String param, String what) {
    String raw = ctx.pathParam(param);
    if (raw.isEmpty() || raw.length() > 18 || !raw.chars().allMatch(Character::isDigit)) {
      throw ApiException.badRequest(
          "The " + what + " id in the path must be a positive whole number, not '" + abbreviate(raw) + "'.");
    }
    return Long.parseLong(raw);
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
