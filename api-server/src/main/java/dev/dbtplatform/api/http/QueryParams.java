package dev.dbtplatform.api.http;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Query string parameters, checked: a bad value is a 400 that names the parameter. */
final class QueryParams {
  static final int MAX_LIMIT = 100;

  private final Context ctx;

  QueryParams(Context ctx) {
    this.ctx = ctx;
  }

  String string(String name) {
    String v = ctx.queryParam(name);
    return v == null || v.isBlank() ? null : v.strip();
  }

  Long id(String name) {
    String v = string(name);
    if (v == null) {
      return null;
    }
    if (v.length() > 18 || !v.chars().allMatch(Character::isDigit)) {
      throw ApiException.badRequest("Query parameter '" + name + "' must be a whole number, not '" + abbreviate(v) + "'.");
    }
    return Long.parseLong(v);
  }

  int limit() {
    Long limit = id("limit");
    if (limit == null) {
      return MAX_LIMIT;
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ApiException.badRequest("Query parameter 'limit' must be between 1 and " + MAX_LIMIT + ", got " + limit + ".");
    }
    return limit.intValue();
  }

  int offset() {
    Long offset = id("offset");
    if (offset == null) {
      return 0;
    }
    if (offset > Integer.MAX_VALUE) {
      throw ApiException.badRequest("Query parameter 'offset' is too large.");
    }
    return offset.intValue();
  }

  /**
   * A list parameter in any of the forms clients send: repeated ({@code ?x=a&x=b}), comma-joined
   * ({@code ?x=a,b}), a JSON array ({@code ?x=["a","b"]}) or a Python list ({@code ?x=['a', 'b']}).
   */
  List<String> list(String name) {
    Set<String> values = new LinkedHashSet<>();
    for (String raw : ctx.queryParams(name)) {
      String v = raw.strip();
      if (v.startsWith("[") && v.endsWith("]")) {
        v = v.substring(1, v.length() - 1);
      }
      for (String part : v.split(",")) {
        String item = part.strip();
        if (item.length() >= 2 && (item.charAt(0) == '"' || item.charAt(0) == '\'')
            && item.charAt(item.length() - 1) == item.charAt(0)) {
          item = item.substring(1, item.length() - 1).strip();
        }
        if (!item.isEmpty()) {
          values.add(item);
        }
      }
    }
    return new ArrayList<>(values);
  }

  /** A list parameter whose items must be among {@code allowed} (compared without case). */
  Set<String> choices(String name, Set<String> allowed) {
    Set<String> chosen = new LinkedHashSet<>();
    for (String item : list(name)) {
      String lower = item.toLowerCase(Locale.ROOT);
      if (!allowed.contains(lower)) {
        throw ApiException.badRequest("Query parameter '" + name + "' has an unknown value '" + abbreviate(item)
            + "'; allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ".");
      }
      chosen.add(lower);
    }
    return chosen;
  }

  static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
