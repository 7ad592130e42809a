package dev.dbtplatform.api.http;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * dbt Cloud's dbt versions and the spec's. dbt Cloud names release tracks ("1.7.0-latest": the
 * newest 1.7.x; "versionless", "latest": whatever is current); the spec holds a version like 1.7
 * or 1.7.3, or none for the operator's default.
 */
final class DbtVersions {
  /** What a client asked for and what the spec gets from it (null: the operator's default). */
  record Requested(String asWritten, String specVersion) {}

  private static final Pattern VERSION = Pattern.compile("^(\\d{1,3})\\.(\\d{1,3})(?:\\.(\\d{1,3}))?(?:-([a-z]+))?$");
  private static final Set<String> TRACKS = Set.of("latest", "pre", "rc", "beta");
  private static final Set<String> CURRENT = Set.of("versionless", "latest", "compatible", "extended", "fallback");

  private DbtVersions() {}

  /** The spec version for a dbt Cloud one; null or blank means the default. */
  static Requested parse(JsonBody body, String field) {
    String written = SpecRules.optionalText(body, field);
    if (written == null) {
      return new Requested(null, null);
    }
    String lower = written.toLowerCase(Locale.ROOT);
    if (CURRENT.contains(lower)) {
      return new Requested(written, null);
    }
    String spec = specOf(lower);
    if (spec == null) {
      throw body.invalid(field, "must be a dbt version like '1.11', '1.11.2', '1.11.0-latest' or 'versionless', not '"
          + QueryParams.abbreviate(written) + "'.");
    }
    return new Requested(written, spec);
  }

  /** What a client wrote, while it still describes the spec (a kubectl edit since wins); else the spec's. */
  static String shown(String asWritten, String specVersion) {
    if (asWritten != null) {
      String lower = asWritten.toLowerCase(Locale.ROOT);
      boolean describesSpec = CURRENT.contains(lower) ? specVersion == null : Objects.equals(specOf(lower), specVersion);
      if (describesSpec) {
        return asWritten;
      }
    }
    return specVersion;
  }

  /** The spec version of a dbt Cloud one, null when it is none. */
  private static String specOf(String lower) {
    Matcher m = VERSION.matcher(lower);
    if (!m.matches() || (m.group(4) != null && !TRACKS.contains(m.group(4)))) {
      return null;
    }
    String minor = m.group(1) + "." + m.group(2);
    // a release track follows its minor version: the operator picks the newest patch
    return m.group(4) != null || m.group(3) == null ? minor : minor + "." + m.group(3);
  }
}
