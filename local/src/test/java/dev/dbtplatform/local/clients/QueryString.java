package dev.dbtplatform.local.clients;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A query string as Python's HTTP libraries encode a params dict (requests, httpx, aiohttp all
 * end in urllib's quote_plus): pairs in the dict's order, a key whose value is None left out, a
 * list value sent as the same key once per item.
 */
final class QueryString {
  private final List<Map.Entry<String, String>> pairs = new ArrayList<>();

  static QueryString of() {
    return new QueryString();
  }

  /** A scalar param; null is Python's None, which the libraries drop. */
  QueryString param(String key, Object value) {
    if (value != null) {
      pairs.add(Map.entry(key, String.valueOf(value)));
    }
    return this;
  }

  /** A list param ({@code {"include_related": ["run_steps", "job"]}}): the key repeated, once per item. */
  QueryString repeated(String key, List<String> values) {
    if (values != null) {
      values.forEach(v -> pairs.add(Map.entry(key, v)));
    }
    return this;
  }

  /** "?a=1&b=2", or "" when every value was None. */
  @Override
  public String toString() {
    if (pairs.isEmpty()) {
      return "";
    }
    StringBuilder query = new StringBuilder("?");
    for (Map.Entry<String, String> pair : pairs) {
      if (query.length() > 1) {
        query.append('&');
      }
      query.append(encode(pair.getKey())).append('=').append(encode(pair.getValue()));
    }
    return query.toString();
  }

  /** Java's form encoding is quote_plus's but for '*' and '~', which no call here sends. */
  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
