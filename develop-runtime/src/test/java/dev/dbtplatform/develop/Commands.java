package dev.dbtplatform.develop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Starting dbt commands through the API and following them, as an editor would. */
final class Commands {
  private Commands() {}

  /** Starts a command; fails the test unless it was accepted. @return its id */
  static String start(Api api, String body) {
    Api.Response started = api.post("/dbt/commands", body);
    assertThat(started.status()).as("start %s: %s", body, started).isEqualTo(202);
    return started.get("id").asText();
  }

  /** Long-polls until the command ends. @return its final view with every line */
  static JsonNode awaitEnd(Api api, String id, Duration atMost) {
    await().atMost(atMost).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
        .until(() -> !api.get("/dbt/commands/" + id + "?wait=5").get("state").asText().equals("running"));
    return api.get("/dbt/commands/" + id + "?since=0").json();
  }

  static JsonNode run(Api api, String body) {
    return awaitEnd(api, start(api, body), Duration.ofMinutes(3));
  }

  /** Waits until a line containing {@code text} was written. */
  static void awaitLine(Api api, String id, String text, Duration atMost) {
    await().atMost(atMost).pollInterval(Duration.ofMillis(200))
        .until(() -> lines(api.get("/dbt/commands/" + id + "?since=0").json()).stream().anyMatch(l -> l.contains(text)));
  }

  static List<String> lines(JsonNode page) {
    List<String> lines = new ArrayList<>();
    page.path("lines").forEach(l -> lines.add(l.asText()));
    return lines;
  }
}
