package dev.dbtplatform.api.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * dbt Cloud's response envelope:
 * {@code {"status":{"code","is_success","user_message","developer_message"},"data",["extra"]}}.
 */
public final class Envelope {
  private Envelope() {}

  public static Map<String, Object> success(Object data) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status(200, true, "Success!", ""));
    body.put("data", data);
    return body;
  }

  /** A created object: dbt Cloud answers 201, in the envelope as on the wire. */
  public static Map<String, Object> created(Object data) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status(201, true, "Success!", ""));
    body.put("data", data);
    return body;
  }

  /** A page of a list, with what filtered and ordered it and how many there are in all. */
  public static Map<String, Object> list(List<?> page, Map<String, Object> filters, String orderBy, long totalCount) {
    Map<String, Object> body = success(page);
    Map<String, Object> pagination = new LinkedHashMap<>();
    pagination.put("count", page.size());
    pagination.put("total_count", totalCount);
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("filters", filters);
    extra.put("order_by", orderBy);
    extra.put("pagination", pagination);
    body.put("extra", extra);
    return body;
  }

  public static Map<String, Object> error(int code, String userMessage) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status(code, false, userMessage, ""));
    body.put("data", null);
    return body;
  }

  private static Map<String, Object> status(int code, boolean success, String userMessage, String developerMessage) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("code", code);
    status.put("is_success", success);
    status.put("user_message", userMessage);
    status.put("developer_message", developerMessage);
    return status;
  }
}
