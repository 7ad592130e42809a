package dev.dbtplatform.local.node;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rewrites paths as a container sees them into local paths.
 *
 * <p>The rule: a string that equals a mapped container path (a volume mountPath or the
 * terminationMessagePath), or starts with that path followed by {@code /}, has that prefix replaced by
 * the local folder or file; when several mapped paths match, the longest wins. Any other string is
 * left alone, including strings that merely contain a path further in ({@code --dir=/workspace}) and
 * paths outside every mount ({@code /bin/sh} stays the host's {@code /bin/sh}). A mountPath of
 * {@code /} is never mapped.
 */
final class PathMapper {
  private final List<Map.Entry<String, Path>> entries;

  private PathMapper(List<Map.Entry<String, Path>> entries) {
    this.entries = entries;
  }

  /** Container path to local path; trailing slashes of container paths are ignored. */
  static PathMapper of(Map<String, Path> containerToLocal) {
    Map<String, Path> normalized = new LinkedHashMap<>();
    containerToLocal.forEach((containerPath, local) -> {
      String p = normalize(containerPath);
      if (p != null) {
        normalized.put(p, local);
      }
    });
    List<Map.Entry<String, Path>> entries = new ArrayList<>(normalized.entrySet());
    entries.sort(Comparator.comparingInt((Map.Entry<String, Path> e) -> e.getKey().length()).reversed());
    return new PathMapper(List.copyOf(entries));
  }

  static PathMapper empty() {
    return new PathMapper(List.of());
  }

  /** The string with its container path prefix replaced, or the string itself. */
  String map(String value) {
    return mapIfMatched(value).orElse(value);
  }

  /** The local form of a string that is (or lies under) a mapped container path. */
  Optional<String> mapIfMatched(String value) {
    if (value == null) {
      return Optional.empty();
    }
    for (Map.Entry<String, Path> e : entries) {
      String p = e.getKey();
      if (value.equals(p)) {
        return Optional.of(e.getValue().toString());
      }
      if (value.startsWith(p + "/")) {
        return Optional.of(e.getValue().toString() + value.substring(p.length()));
      }
    }
    return Optional.empty();
  }

  List<String> mapAll(List<String> values) {
    List<String> out = new ArrayList<>(values.size());
    for (String v : values) {
      out.add(map(v));
    }
    return out;
  }

  Map<String, Path> mappings() {
    Map<String, Path> out = new LinkedHashMap<>();
    entries.forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  private static String normalize(String containerPath) {
    if (containerPath == null || containerPath.isEmpty()) {
      return null;
    }
    String p = containerPath;
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.equals("/") ? null : p;
  }
}
