package dev.dbtplatform.api.runs;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Times as the custom resources hold them (RFC 3339): unreadable ones are no time, never a failure. */
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
