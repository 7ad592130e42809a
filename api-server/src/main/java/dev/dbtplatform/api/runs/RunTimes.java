package dev.dbtplatform.api.runs;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** ISO-8601 times as the custom resources hold them. */
public final class RunTimes {
  private RunTimes() {}

  public static OffsetDateTime parse(String iso) {
    if (iso == null || iso.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(iso);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
