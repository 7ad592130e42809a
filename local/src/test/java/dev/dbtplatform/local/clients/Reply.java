package dev.dbtplatform.local.clients;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the API answered to one replayed call.
 *
 * @param call method and path, to name the call in assertion messages
 * @param body the body, decompressed as the clients do
 */
public record Reply(String call, int status, String contentType, String body) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The whole body as JSON: the envelope, or an artifact as it is. */
  public JsonNode json() {
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new AssertionError(call + " answered " + status + " with a body that is not JSON: " + body, e);
    }
  }

  /** The envelope's {@code data}, which is what nearly every client reads. */
  public JsonNode data() {
    return json().path("data");
  }

  @Override
  public String toString() {
    return call + " -> " + status + " " + (body.length() > 500 ? body.substring(0, 500) + "..." : body);
  }
}
