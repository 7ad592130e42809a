package dev.dbtplatform.api.storage;

import java.util.Locale;
import java.util.Set;

/**
 * The content type an artifact is served with, from its extension rather than the object's stored
 * type: that one depends on the flusher version that wrote the run (it marks .sql and .yml files as
 * application/octet-stream), and the API should answer the same for every run.
 *
 * <p>Text is declared UTF-8, as dbt writes it and as the flusher labels logs: without a charset,
 * browsers decode text/plain as Latin-1 and garble non-ASCII model names and messages.
 */
final class ArtifactContentType {
  static final String JSON = "application/json";
  static final String TEXT = "text/plain; charset=utf-8";
  static final String BINARY = "application/octet-stream";

  private static final Set<String> TEXT_EXTENSIONS = Set.of("sql", "txt", "log", "yml", "yaml");

  private ArtifactContentType() {}

  static String guess(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    if (extension.equals("json")) {
      return JSON;
    }
    return TEXT_EXTENSIONS.contains(extension) ? TEXT : BINARY;
  }
}
