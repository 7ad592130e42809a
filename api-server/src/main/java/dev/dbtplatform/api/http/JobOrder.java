package dev.dbtplatform.api.http;

import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.Locale;

/** A job list's {@code order_by}: id, name or created_at, with a leading '-' for descending. */
record JobOrder(String field, boolean descending) {
  /** A job as the list sorts it. */
  record Key(long id, String name, OffsetDateTime createdAt) {}

  static JobOrder parse(String orderBy) {
    if (orderBy == null) {
      return new JobOrder("id", false);
    }
    boolean descending = orderBy.startsWith("-");
    String field = (descending ? orderBy.substring(1) : orderBy).strip().toLowerCase(Locale.ROOT);
    if (!field.equals("id") && !field.equals("name") && !field.equals("created_at")) {
      throw ApiException.badRequest("Query parameter 'order_by' must be id, name or created_at, with a leading '-' "
          + "for descending order, not '" + QueryParams.abbreviate(orderBy) + "'.");
    }
    return new JobOrder(field, descending);
  }

  /** The order; the id settles ties so that pages never overlap. */
  Comparator<Key> comparator() {
    Comparator<Key> byId = Comparator.comparingLong(Key::id);
    Comparator<Key> order = switch (field) {
      case "name" -> Comparator.comparing(Key::name, String.CASE_INSENSITIVE_ORDER).thenComparing(byId);
      case "created_at" -> Comparator.comparing(Key::createdAt, Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparing(byId);
      default -> byId;
    };
    return descending ? order.reversed() : order;
  }

  @Override
  public String toString() {
    return (descending ? "-" : "") + field;
  }
}
