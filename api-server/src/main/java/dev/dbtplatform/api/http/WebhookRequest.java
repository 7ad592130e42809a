package dev.dbtplatform.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbtplatform.api.db.ObjectIds;
import dev.dbtplatform.api.db.ObjectIds.Kind;
import dev.dbtplatform.api.webhooks.WebhookEvent;
import dev.dbtplatform.api.webhooks.WebhookSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A webhook subscription's body, as dbt Cloud takes it on create and on update: {@code name},
 * {@code client_url}, {@code event_types}, and optionally {@code description}, {@code job_ids}
 * (numbers or numeric strings; empty for every job) and {@code active}. An update replaces the
 * whole subscription, so a field left out takes its default. {@code active} defaults to false:
 * dbt Cloud's Terraform provider leaves it out to mean false.
 */
final class WebhookRequest {
  static final int MAX_URL_LENGTH = 2048;
  static final int MAX_NAME_LENGTH = 255;

  private WebhookRequest() {}

  static WebhookSpec parse(JsonBody body, long accountId, ObjectIds ids) {
    String name = body.requiredString("name");
    if (name.length() > MAX_NAME_LENGTH) {
      throw body.invalid("name", "must be at most " + MAX_NAME_LENGTH + " characters.");
    }
    return new WebhookSpec(name, body.string("description").orElse(""), clientUrl(body), eventTypes(body),
        jobIds(body, accountId, ids), body.bool("active").orElse(false));
  }

  private static String clientUrl(JsonBody body) {
    String url = body.requiredString("client_url").strip();
    if (url.length() > MAX_URL_LENGTH) {
      throw body.invalid("client_url", "must be at most " + MAX_URL_LENGTH + " characters.");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw body.invalid("client_url", "is not a URL: " + e.getReason() + ".");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
      throw body.invalid("client_url", "must be an http or https URL with a host, like https://hooks.example.com/dbt.");
    }
    return url;
  }

  private static List<WebhookEvent> eventTypes(JsonBody body) {
    List<String> names = body.strings("event_types").orElse(List.of());
    String allowed = String.join(", ", Arrays.stream(WebhookEvent.values()).map(e -> e.wireName).toList());
    if (names.isEmpty()) {
      throw body.invalid("event_types", "must list at least one of " + allowed + ".");
    }
    Set<WebhookEvent> events = new LinkedHashSet<>();
    for (String name : names) {
      events.add(WebhookEvent.ofWireName(name).orElseThrow(() -> body.invalid("event_types",
          "has an unknown event '" + QueryParams.abbreviate(name) + "'; allowed: " + allowed + ".")));
    }
    return new ArrayList<>(events);
  }

  /** Each id must be a job of this account: another account's job answers like a missing one. */
  private static List<Long> jobIds(JsonBody body, long accountId, ObjectIds ids) {
    JsonNode raw = body.raw("job_ids");
    if (raw == null) {
      return List.of();
    }
    if (!raw.isArray()) {
      throw body.invalid("job_ids", "must be a list of job ids, or empty for every job.");
    }
    Set<Long> jobIds = new LinkedHashSet<>();
    for (JsonNode item : raw) {
      Long id = null;
      if (item.isIntegralNumber() && item.canConvertToLong() && item.asLong() > 0) {
        id = item.asLong();
      } else if (item.isTextual() && !item.asText().isEmpty() && item.asText().length() <= 18
          && item.asText().chars().allMatch(Character::isDigit)) {
        id = Long.parseLong(item.asText());
      }
      if (id == null) {
        throw body.invalid("job_ids", "must be a list of job ids (whole numbers), not " + item + ".");
      }
      if (ids.find(accountId, Kind.DbtJob, id).isEmpty()) {
        throw body.invalid("job_ids", "names job " + id + ", which was not found.");
      }
      jobIds.add(id);
    }
    return new ArrayList<>(jobIds);
  }
}
