package dev.dbtplatform.api.http;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The checks the CRDs' schemas make, made on the request instead: the Kubernetes API stand-in of
 * one-machine mode checks nothing, and a client should hear which API field is wrong rather than
 * which spec field.
 */
final class SpecRules {
  static final int MAX_DISPLAY_NAME = 255;

  private static final Pattern OBJECT_NAME = Pattern.compile("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$");
  private static final Pattern GIT_URL = Pattern.compile("^(https?://|ssh://|git@|file://|/).+");
  private static final Pattern TARGET_NAME = Pattern.compile("^[A-Za-z0-9_-]+$");
  private static final Pattern ADAPTER_TYPE = Pattern.compile("^[a-z][a-z0-9_]*$");

  private SpecRules() {}

  /** The API name of a project, environment or job: required, free text, one line. */
  static String displayName(JsonBody body) {
    String name = body.requiredString("name").strip();
    if (name.length() > MAX_DISPLAY_NAME) {
      throw body.invalid("name", "must be at most " + MAX_DISPLAY_NAME + " characters.");
    }
    if (name.chars().anyMatch(Character::isISOControl)) {
      throw body.invalid("name", "must be a single line of text.");
    }
    return name;
  }

  /** A string field where null and blank both mean "none". */
  static String optionalText(JsonBody body, String field) {
    return body.string(field).map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
  }

  /** The name of a Kubernetes object (a Secret, say) in the account's namespace. */
  static String objectName(JsonBody body, String field) {
    String name = optionalText(body, field);
    if (name != null && (name.length() > 253 || !OBJECT_NAME.matcher(name).matches())) {
      throw body.invalid(field, "must be the name of a Kubernetes object: lower-case letters, digits, '-' and '.', "
          + "starting and ending with a letter or digit, like 'warehouse-credentials'.");
    }
    return name;
  }

  static String gitUrl(JsonBody body, String field) {
    String url = optionalText(body, field);
    if (url != null && (!GIT_URL.matcher(url).matches() || url.chars().anyMatch(Character::isWhitespace))) {
      throw body.invalid(field, "must be a git repository URL starting with https://, ssh://, git@ or file://, "
          + "like 'https://github.com/acme/analytics.git'.");
    }
    return url;
  }

  /** A branch, tag or commit: git refuses spaces and control characters in refs. */
  static String gitRef(JsonBody body, String field) {
    String ref = optionalText(body, field);
    if (ref != null && (ref.length() > 255 || ref.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c)))) {
      throw body.invalid(field, "must be a branch, tag or commit, without spaces.");
    }
    return ref;
  }

  static String targetName(JsonBody body, String field) {
    String target = optionalText(body, field);
    if (target != null && (target.length() > 63 || !TARGET_NAME.matcher(target).matches())) {
      throw body.invalid(field, "may hold only letters, digits, '_' and '-', like 'prod'.");
    }
    return target;
  }

  static String adapterType(JsonBody body, String field) {
    String type = optionalText(body, field);
    if (type != null && !ADAPTER_TYPE.matcher(type).matches()) {
      throw body.invalid(field, "must be a dbt adapter name in lower case, like 'postgres' or 'snowflake'.");
    }
    return type;
  }

  /** dbt threads: 1 to 64. Some clients send 0 for "not set". */
  static Optional<Integer> threads(JsonBody body, String field) {
    Optional<Long> threads = body.integer(field).filter(n -> n != 0);
    threads.ifPresent(n -> {
      if (n < 1 || n > 64) {
        throw body.invalid(field, "must be between 1 and 64, got " + n + ".");
      }
    });
    return threads.map(Long::intValue);
  }

  /**
   * Clients post back whole objects they read, read-only fields included: an {@code id} must be
   * the one in the path (none when creating) and an {@code account_id} the path's account.
   */
  static void sameIds(JsonBody body, Long pathId, long accountId) {
    Optional<Long> id = body.integer("id");
    if (pathId == null && id.isPresent()) {
      throw body.invalid("id", "must be empty when creating: the server gives the id.");
    }
    if (pathId != null && id.isPresent() && !id.get().equals(pathId)) {
      throw body.invalid("id", "is " + id.get() + " but the path names " + pathId + ".");
    }
    Optional<Long> account = body.integer("account_id");
    if (account.isPresent() && account.get() != accountId) {
      throw body.invalid("account_id", "is " + account.get() + " but the path names account " + accountId + ".");
    }
  }
}
