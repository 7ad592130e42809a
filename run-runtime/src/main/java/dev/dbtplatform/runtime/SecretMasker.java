package dev.dbtplatform.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Replaces secret values with {@value #MASK} in every line the runtime writes. dbt masks the
 * DBT_ENV_SECRET_ variables itself, but git, drivers and stack traces do not.
 */
public final class SecretMasker {
  public static final String MASK = "*****";

  private volatile List<String> secrets = List.of();

  /**
   * Adds a secret. A multi-line value (a private key) is masked line by line too, because output
   * arrives one line at a time.
   */
  public synchronized void add(String secret) {
    if (secret == null || secret.isBlank()) {
      return;
    }
    List<String> updated = new ArrayList<>(secrets);
    addOnce(updated, secret);
    addOnce(updated, secret.strip());
    if (secret.contains("\n")) {
      for (String line : secret.split("\r?\n")) {
        addOnce(updated, line.strip());
      }
    }
    // Longest first, so a secret that contains another one is masked whole.
    updated.sort(Comparator.comparingInt(String::length).reversed());
    secrets = List.copyOf(updated);
  }

  public String mask(String line) {
    String masked = line;
    for (String secret : secrets) {
      if (masked.contains(secret)) {
        masked = masked.replace(secret, MASK);
      }
    }
    return masked;
  }

  private static void addOnce(List<String> list, String value) {
    if (!value.isBlank() && !list.contains(value)) {
      list.add(value);
    }
  }
}
