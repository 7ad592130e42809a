package dev.dbtplatform.api.runs;

import java.util.Map;

/**
 * Why a run started: the trigger body's cause, a category (api, scheduled, retry, triggered,
 * other) and the overrides it asked for, kept for the API's {@code trigger} object.
 */
public record Trigger(String cause, String category, Map<String, Object> overrides) {
  public Trigger {
    overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
  }
}
