package dev.dbtplatform.local.clients;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Request bodies byte for byte as the Python clients make them. {@code json.dumps} (and requests'
 * {@code json=}) writes ", " and ": " between items; httpx (from 0.28) writes them compact. Values
 * are what the clients send: maps in insertion order, lists, strings, numbers, booleans and None
 * (null); all of it ASCII, so that escaping beyond JSON's own never comes up.
 */
final class PythonJson {
  private PythonJson() {}

  /** As {@code json.dumps(value)}. */
  static String dumps(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out, ", ", ": ");
    return out.toString();
  }

  /** As httpx's {@code json=value}. */
  static String compact(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out, ",", ":");
    return out.toString();
  }

  private static void write(Object value, StringBuilder out, String itemSeparator, String keySeparator) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      string(s, out);
    } else if (value instanceof Boolean || value instanceof Number) {
      out.append(value);
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
      while (entries.hasNext()) {
        Map.Entry<?, ?> entry = entries.next();
        string(String.valueOf(entry.getKey()), out);
        out.append(keySeparator);
        write(entry.getValue(), out, itemSeparator, keySeparator);
        if (entries.hasNext()) {
          out.append(itemSeparator);
        }
      }
      out.append('}');
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(itemSeparator);
        }
        write(list.get(i), out, itemSeparator, keySeparator);
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException("no Python client sends a " + value.getClass().getSimpleName());
    }
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c > 0x7e) { // json.dumps' ensure_ascii
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
