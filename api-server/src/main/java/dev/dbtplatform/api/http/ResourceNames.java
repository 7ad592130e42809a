package dev.dbtplatform.api.http;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Kubernetes names for objects created through the API: a DNS-1123 slug of the API name, so that
 * {@code kubectl get} shows something a person recognises ("Nightly build" becomes
 * {@code nightly-build}).
 */
final class ResourceNames {
  /** Short enough for names derived from these (pods, volumes) to stay within Kubernetes' limits. */
  static final int MAX_LENGTH = 50;

  private ResourceNames() {}

  /** The slug of a name; {@code fallback} when nothing of it is left (only symbols, say). */
  static String slug(String displayName, String fallback) {
    String ascii = Normalizer.normalize(displayName == null ? "" : displayName, Normalizer.Form.NFD)
        .replaceAll("\\p{M}", ""); // "Café" -> "Cafe" rather than "caf"
    String slug = ascii.toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z0-9]+", "-")
        .replaceAll("^-+|-+$", "");
    slug = cut(slug, MAX_LENGTH);
    return slug.isEmpty() ? fallback : slug;
  }

  /** The n-th candidate for a slug: the slug itself, then {@code slug-2}, {@code slug-3}... */
  static String candidate(String slug, int n) {
    if (n <= 1) {
      return slug;
    }
    String suffix = "-" + n;
    return cut(slug, MAX_LENGTH - suffix.length()) + suffix;
  }

  private static String cut(String slug, int max) {
    String cut = slug.length() <= max ? slug : slug.substring(0, max);
    return cut.replaceAll("-+$", "");
  }
}
