package dev.dbtplatform.api.http;

import dev.dbtplatform.api.runs.RunStatus;
import dev.dbtplatform.api.runs.RunTimes;
import dev.dbtplatform.api.runs.StepResult;
import dev.dbtplatform.api.runs.StoredRun;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/** A run in dbt Cloud's JSON shape: the fields the public API clients read, and their neighbours. */
final class RunJson {
  /** What {@code include_related} may ask for. */
  static final Set<String> INCLUDES = Set.of("trigger", "job", "environment", "run_steps", "debug_logs", "repository");

  private RunJson() {}

  /**
   * @param includes the include_related items asked for
   * @param stepLog the log text of step n of the run, or null when there is none (yet)
   * @param related the job and environment objects, when asked for
   */
  static Map<String, Object> toJson(StoredRun stored, Set<String> includes, String baseUrl, OffsetDateTime now,
                                    BiFunction<StoredRun, Integer, String> stepLog, Map<String, Object> related) {
    StoredRun run = stored.asSeenBy(now);
    RunStatus status = run.status();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", run.id());
    m.put("trigger_id", run.id());
    m.put("account_id", run.accountId());
    m.put("environment_id", run.environmentId());
    m.put("project_id", run.projectId());
    m.put("job_definition_id", run.jobId());
    m.put("job_id", run.jobId());
    m.put("status", status.code);
    m.put("status_humanized", status.humanized);
    m.put("status_message", status == RunStatus.ERROR || status == RunStatus.CANCELLED ? message(run) : null);
    m.put("dbt_version", null);
    m.put("git_branch", run.gitBranch());
    m.put("git_sha", run.gitSha());
    m.put("owner_thread_id", null);
    m.put("executed_by_thread_id", null);
    m.put("deferring_run_id", null);
    m.put("artifacts_saved", run.artifactsSaved());
    m.put("artifact_s3_path", run.logsPrefix());
    m.put("has_docs_generated", false);
    m.put("has_sources_generated", false);
    m.put("notifications_sent", run.status().isComplete());
    m.put("blocked_by", List.of());
    m.put("created_at", AccountsApi.timestamp(run.createdAt()));
    m.put("updated_at", AccountsApi.timestamp(run.updatedAt()));
    OffsetDateTime dequeued = run.queuedSeconds() == null ? null
        : run.createdAt().plus(Duration.ofMillis((long) (run.queuedSeconds() * 1000)));
    m.put("dequeued_at", AccountsApi.timestamp(dequeued));
    m.put("started_at", AccountsApi.timestamp(run.startedAt()));
    m.put("finished_at", AccountsApi.timestamp(run.finishedAt()));
    m.put("last_checked_at", AccountsApi.timestamp(run.updatedAt()));
    m.put("last_heartbeat_at", AccountsApi.timestamp(run.updatedAt()));
    m.put("should_start_at", null);
    m.put("in_progress", !status.isComplete());
    m.put("is_complete", status.isComplete());
    m.put("is_success", status == RunStatus.SUCCESS);
    m.put("is_error", status == RunStatus.ERROR);
    m.put("is_cancelled", status == RunStatus.CANCELLED);
    m.put("is_running", status == RunStatus.RUNNING);

    OffsetDateTime end = run.finishedAt() != null ? run.finishedAt() : now;
    Duration total = between(run.createdAt(), end);
    Duration queued = run.startedAt() != null ? between(run.createdAt(), run.startedAt())
        : status.isComplete() ? total : between(run.createdAt(), now);
    Duration running = run.startedAt() == null ? Duration.ZERO : between(run.startedAt(), end);
    m.put("duration", clock(total));
    m.put("queued_duration", clock(queued));
    m.put("run_duration", clock(running));
    m.put("duration_humanized", humanized(total));
    m.put("queued_duration_humanized", humanized(queued));
    m.put("run_duration_humanized", humanized(running));
    m.put("created_at_humanized", humanized(between(run.createdAt(), now)) + " ago");
    m.put("finished_at_humanized", run.finishedAt() == null ? "0 minutes from now"
        : humanized(between(run.finishedAt(), now)) + " ago");
    m.put("href", baseUrl + "/api/v2/accounts/" + run.accountId() + "/runs/" + run.id() + "/");
    m.put("can_retry", canRetry(run));
    m.put("retrying_run_id", null);
    m.put("rerun_of", run.rerunOf());
    m.put("run_steps", includes.contains("run_steps") || includes.contains("debug_logs")
        ? steps(run, includes.contains("debug_logs"), stepLog) : List.of());
    m.put("trigger", includes.contains("trigger") ? trigger(run) : null);
    m.put("job", includes.contains("job") ? related.get("job") : null);
    m.put("environment", includes.contains("environment") ? related.get("environment") : null);
    // a finished run has no step in progress, and its steps are then not even read (see StoredSteps)
    m.put("in_progress_step_index", status.isComplete() ? null : run.steps().stream()
        .filter(s -> "Running".equals(s.status())).map(StepResult::index).findFirst().orElse(null));
    // where this run is in the cluster, for people who also use kubectl
    m.put("kubernetes", Map.of("namespace", run.namespace(), "name", run.name()));
    return m;
  }

  /** A run that errored can be retried from its failed step, as long as its job exists to say how. */
  static boolean canRetry(StoredRun run) {
    return run.status() == RunStatus.ERROR && run.jobId() != null;
  }

  private static String message(StoredRun run) {
    if (run.reason() == null) {
      return run.statusMessage();
    }
    return run.statusMessage() == null ? run.reason() : run.reason() + ": " + run.statusMessage();
  }

  private static Map<String, Object> trigger(StoredRun run) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("id", run.id());
    t.put("cause", run.trigger().cause());
    t.put("cause_category", run.trigger().category());
    t.put("job_definition_id", run.jobId());
    t.put("git_branch", run.trigger().overrides().get("git_branch"));
    t.put("git_sha", run.trigger().overrides().get("git_sha"));
    t.put("github_pull_request_id", null);
    t.put("schema_override", run.trigger().overrides().get("schema_override"));
    t.put("dbt_version_override", run.trigger().overrides().get("dbt_version_override"));
    t.put("threads_override", run.trigger().overrides().get("threads_override"));
    t.put("target_name_override", run.trigger().overrides().get("target_name_override"));
    t.put("generate_docs_override", run.trigger().overrides().get("generate_docs_override"));
    t.put("timeout_seconds_override", run.trigger().overrides().get("timeout_seconds_override"));
    t.put("steps_override", run.trigger().overrides().get("steps_override"));
    t.put("created_at", AccountsApi.timestamp(run.createdAt()));
    return t;
  }

  private static List<Map<String, Object>> steps(StoredRun run, boolean debugLogs,
                                                 BiFunction<StoredRun, Integer, String> stepLog) {
    List<Map<String, Object>> steps = new ArrayList<>();
    for (StepResult s : run.steps()) {
      StepState state = StepState.of(s.status());
      String logs = state.hasLogs ? stepLog.apply(run, s.index()) : null;
      OffsetDateTime started = RunTimes.parse(s.startedAt());
      OffsetDateTime finished = RunTimes.parse(s.finishedAt());
      Duration duration = started == null ? Duration.ZERO : between(started, finished == null ? started : finished);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", run.id() * 1000 + s.index());
      m.put("run_id", run.id());
      m.put("account_id", run.accountId());
      m.put("index", s.index());
      m.put("name", s.name());
      m.put("command", s.command());
      m.put("status", state.code);
      m.put("status_humanized", state.humanized);
      m.put("status_color", state.color);
      m.put("logs", logs == null ? "" : logs);
      m.put("debug_logs", debugLogs && logs != null ? logs : "");
      m.put("log_location", "s3");
      m.put("log_archive_type", "s3");
      m.put("truncated_debug_logs", "");
      m.put("created_at", AccountsApi.timestamp(run.createdAt()));
      m.put("updated_at", AccountsApi.timestamp(finished != null ? finished : run.updatedAt()));
      m.put("started_at", AccountsApi.timestamp(started));
      m.put("finished_at", AccountsApi.timestamp(finished));
      m.put("duration", clock(duration));
      m.put("duration_humanized", humanized(duration));
      m.put("exit_code", s.exitCode());
      steps.add(m);
    }
    return steps;
  }

  /** A step's status as dbt Cloud numbers it; skipped steps count as cancelled there. */
  private enum StepState {
    QUEUED(1, "Queued", "#BCBCBC", false),
    RUNNING(3, "Running", "#009AA8", true),
    SUCCESS(10, "Success", "#21C278", true),
    ERROR(20, "Error", "#DA3D3D", true),
    CANCELLED(30, "Cancelled", "#767676", true),
    SKIPPED(30, "Skipped", "#767676", false);

    final int code;
    final String humanized;
    final String color;
    final boolean hasLogs;

    StepState(int code, String humanized, String color, boolean hasLogs) {
      this.code = code;
      this.humanized = humanized;
      this.color = color;
      this.hasLogs = hasLogs;
    }

    static StepState of(String status) {
      if (status == null) {
        return QUEUED;
      }
      return switch (status) {
        case "Running" -> RUNNING;
        case "Succeeded" -> SUCCESS;
        case "Failed", "TimedOut" -> ERROR;
        case "Cancelled" -> CANCELLED;
        case "Skipped" -> SKIPPED;
        default -> QUEUED;
      };
    }
  }

  private static Duration between(OffsetDateTime from, OffsetDateTime to) {
    if (from == null || to == null || to.isBefore(from)) {
      return Duration.ZERO;
    }
    return Duration.between(from, to);
  }

  /** HH:MM:SS, the form dbt Cloud gives durations in. */
  static String clock(Duration d) {
    long s = d.getSeconds();
    return twoDigits(s / 3600) + ":" + twoDigits((s % 3600) / 60) + ":" + twoDigits(s % 60);
  }

  /** At least two digits (String.format costs more than the rest of a run's JSON). */
  private static String twoDigits(long n) {
    return n < 10 ? "0" + n : Long.toString(n);
  }

  /** "1 minute, 5 seconds". */
  static String humanized(Duration d) {
    long s = d.getSeconds();
    long hours = s / 3600;
    long minutes = (s % 3600) / 60;
    long seconds = s % 60;
    List<String> parts = new ArrayList<>();
    if (hours > 0) {
      parts.add(hours + (hours == 1 ? " hour" : " hours"));
    }
    if (minutes > 0) {
      parts.add(minutes + (minutes == 1 ? " minute" : " minutes"));
    }
    if (seconds > 0 || parts.isEmpty()) {
      parts.add(seconds + (seconds == 1 ? " second" : " seconds"));
    }
    return String.join(", ", parts);
  }
}
