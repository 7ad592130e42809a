package dev.dbtplatform.api.http;

import dev.dbtplatform.api.runs.RunRequest;
import dev.dbtplatform.api.runs.Trigger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * dbt Cloud's trigger body ({@code POST .../jobs/{j}/run/}): every field optional, nulls the same
 * as absent, unknown fields ignored; values checked the way the DbtRun's schema checks them, so
 * that a bad override is a 400 here rather than a run that fails later.
 */
final class TriggerBody {
  static final String DEFAULT_CAUSE = "Triggered via API";
  private static final Pattern DBT_COMMAND = Pattern.compile("^dbt\\s+[a-z].*", Pattern.DOTALL);
  private static final Pattern SCHEMA = Pattern.compile("^[A-Za-z_][A-Za-z0-9_$-]*$");
  private static final Pattern TARGET = Pattern.compile("^[A-Za-z0-9_-]+$");
  private static final Pattern SHA = Pattern.compile("^[0-9a-fA-F]{7,40}$");
  private static final Pattern BRANCH = Pattern.compile("^[^\\s~^:?*\\[\\\\]+$");

  private TriggerBody() {}

  static RunRequest parse(long jobId, JsonBody body, String category, Long rerunOf) {
    Map<String, Object> overrides = new LinkedHashMap<>();
    String cause = body.string("cause").map(String::strip).filter(c -> !c.isEmpty()).orElse(DEFAULT_CAUSE);
    if (cause.length() > 255) {
      throw ApiException.badRequest("Field 'cause' must be at most 255 characters.");
    }
    Optional<String> sha = body.string("git_sha").map(String::strip).filter(s -> !s.isEmpty());
    sha.ifPresent(s -> {
      if (!SHA.matcher(s).matches()) {
        throw ApiException.badRequest("Field 'git_sha' must be a commit sha (7 to 40 hexadecimal characters).");
      }
      overrides.put("git_sha", s);
    });
    Optional<String> branch = body.string("git_branch").map(String::strip).filter(s -> !s.isEmpty());
    branch.ifPresent(b -> {
      if (b.length() > 255 || !BRANCH.matcher(b).matches()) {
        throw ApiException.badRequest("Field 'git_branch' is not a valid branch name.");
      }
      overrides.put("git_branch", b);
    });
    String schema = body.string("schema_override").map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
    if (schema != null) {
      if (schema.length() > 128 || !SCHEMA.matcher(schema).matches()) {
        throw ApiException.badRequest("Field 'schema_override' must be a schema name: letters, digits, _ and $, "
            + "not starting with a digit, at most 128 characters.");
      }
      overrides.put("schema_override", schema);
    }
    body.string("dbt_version_override").filter(s -> !s.isBlank()).ifPresent(v -> overrides.put("dbt_version_override", v));
    Integer threads = body.integer("threads_override", 1, 64).map(Long::intValue).orElse(null);
    if (threads != null) {
      overrides.put("threads_override", threads);
    }
    String target = body.string("target_name_override").map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
    if (target != null) {
      if (!TARGET.matcher(target).matches()) {
        throw ApiException.badRequest("Field 'target_name_override' may hold only letters, digits, _ and -.");
      }
      overrides.put("target_name_override", target);
    }
    body.bool("generate_docs_override").ifPresent(v -> overrides.put("generate_docs_override", v));
    Long timeout = body.integer("timeout_seconds_override", 0, 172_800).orElse(null);
    if (timeout != null) {
      overrides.put("timeout_seconds_override", timeout);
    }
    List<String> steps = body.strings("steps_override").orElse(null);
    if (steps != null) {
      if (steps.isEmpty() || steps.size() > 50) {
        throw ApiException.badRequest("Field 'steps_override' must hold 1 to 50 dbt commands.");
      }
      for (String step : steps) {
        if (!DBT_COMMAND.matcher(step.strip()).matches()) {
          throw ApiException.badRequest("Every step in 'steps_override' must be a dbt command like 'dbt build', not '"
              + QueryParams.abbreviate(step) + "'.");
        }
      }
      steps = steps.stream().map(String::strip).toList();
      overrides.put("steps_override", steps);
    }
    return new RunRequest(jobId, new Trigger(cause, category, overrides), steps, threads, target, schema, timeout,
        sha.orElse(branch.orElse(null)), rerunOf, (Boolean) overrides.get("generate_docs_override"), null);
  }
}
