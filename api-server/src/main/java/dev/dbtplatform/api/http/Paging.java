package dev.dbtplatform.api.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The page a list request asks for. Read it before doing any work, so that a bad limit or offset
 * is a 400 even when the cluster is slow.
 */
record Paging(int limit, int offset) {
  static Paging of(QueryParams query) {
    return new Paging(query.limit(), query.offset());
  }

  /** The objects of {@code matching} (already filtered and in order) that are on this page. */
  <T> List<T> page(List<T> matching) {
    int from = Math.min(offset, matching.size());
    int to = Math.min(matching.size(), from + limit);
    return matching.subList(from, to);
  }

  /**
   * The envelope for one page of {@code matching} (already filtered and in order), with the
   * filters that chose them; only the objects on the page are turned into JSON.
   */
  <T> Map<String, Object> envelope(List<T> matching, Map<String, Object> filters, String orderBy,
                                   Function<T, Object> toJson) {
    List<Object> page = page(matching).stream().map(toJson).toList();
    Map<String, Object> shown = new LinkedHashMap<>(filters);
    shown.put("limit", limit);
    shown.put("offset", offset);
    return Envelope.list(page, shown, orderBy, matching.size());
  }
}
