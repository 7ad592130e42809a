package dev.dbtplatform.api.http;

import java.util.Locale;
import java.util.Map;

/**
 * The list filters projects, environments and jobs share: {@code name__icontains} (part of the
 * API name, any case) and {@code state} (1 active; 2 is dbt Cloud's deleted, which for jobs here
 * means suspended).
 */
record NameAndStateFilter(String nameContains, Integer state) {
  static NameAndStateFilter of(QueryParams query) {
    Long state = query.id("state");
    if (state != null && state != 1 && state != 2) {
      throw ApiException.badRequest("Query parameter 'state' must be 1 (active) or 2, got " + state + ".");
    }
    String name = query.string("name__icontains");
    return new NameAndStateFilter(name == null ? null : name.toLowerCase(Locale.ROOT),
        state == null ? null : state.intValue());
  }

  boolean matches(String displayName, int objectState) {
    return (state == null || state == objectState)
        && (nameContains == null || displayName.toLowerCase(Locale.ROOT).contains(nameContains));
  }

  /** Adds the filters in use to those a list answer shows. */
  Map<String, Object> shown(Map<String, Object> filters) {
    if (nameContains != null) {
      filters.put("name__icontains", nameContains);
    }
    if (state != null) {
      filters.put("state", state);
    }
    return filters;
  }
}
