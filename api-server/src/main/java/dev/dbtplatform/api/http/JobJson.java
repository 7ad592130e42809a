package dev.dbtplatform.api.http;

import dev.dbtplatform.api.runs.RunTimes;
import dev.dbtplatform.api.db.Account;
import dev.dbtplatform.crd.DbtEnvironment;
import dev.dbtplatform.crd.DbtJob;
import dev.dbtplatform.crd.DbtJobSpec;
import dev.dbtplatform.crd.DbtJobStatus;
import dev.dbtplatform.crd.JobCompletionStatus;
import dev.dbtplatform.crd.JobCompletionTrigger;
import dev.dbtplatform.crd.JobDeferral;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A DbtJob as dbt Cloud's v2 job definition: what {@code /jobs/} answers and what a run's
 * {@code include_related=["job"]} shows. Triggers this platform does not have (git webhooks,
 * merges, draft pull requests) are always off.
 */
final class JobJson {
  /** dbt Cloud's run status codes, used by job completion triggers. */
  static final Map<JobCompletionStatus, Integer> STATUS_CODES = Map.of(
      JobCompletionStatus.Succeeded, 10, JobCompletionStatus.Failed, 20, JobCompletionStatus.Cancelled, 30);

  private JobJson() {}

  /** The job with the given id, if it is the account's and still exists. */
  static Optional<Map<String, Object>> find(ApiServices services, Account account, long jobId, String baseUrl) {
    JobReferences refs = JobReferences.of(services, account);
    RecentRuns recent = new RecentRuns(services, account, baseUrl);
    return refs.jobs().find(account, jobId).map(job -> toJson(account, jobId, job, refs, recent));
  }

  /** @param recent where the job's most recent runs come from: loaded for a whole page at once by lists */
  static Map<String, Object> toJson(Account account, long jobId, DbtJob job, JobReferences refs, RecentRuns recent) {
    DbtJobSpec spec = job.getSpec() == null ? new DbtJobSpec() : job.getSpec();
    String environment = spec.environmentRef == null ? null : spec.environmentRef.name;
    String cron = spec.triggers == null || spec.triggers.schedule == null ? null : spec.triggers.schedule.cron;
    boolean suspended = Boolean.TRUE.equals(spec.suspend);
    Optional<DbtEnvironment> env = refs.environment(environment);

    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", jobId);
    m.put("account_id", account.id());
    m.put("project_id", refs.projectIdOfEnvironment(environment));
    m.put("environment_id", refs.environmentId(environment));
    m.put("name", ApiMetadata.displayName(job));
    m.put("description", ApiMetadata.description(job));
    m.put("dbt_version", null); // jobs run their environment's version
    m.put("triggers", triggers(cron != null));
    m.put("execute_steps", spec.steps == null ? List.of() : spec.steps);
    m.put("settings", settings(spec, env));
    m.put("state", suspended ? 2 : 1);
    m.put("generate_docs", Boolean.TRUE.equals(spec.generateDocs));
    m.put("run_generate_sources", Boolean.TRUE.equals(spec.runGenerateSources));
    m.put("schedule", JobSchedules.toJson(cron));
    m.put("job_type", cron != null ? "scheduled" : "other");
    m.put("triggers_on_draft_pr", false);
    m.put("job_completion_trigger_condition", completionTrigger(spec, refs));
    JobDeferral deferral = spec.deferral;
    m.put("deferring_job_definition_id", deferral == null || deferral.jobRef == null ? null : refs.jobId(deferral.jobRef.name));
    m.put("deferring_environment_id",
        deferral == null || deferral.environmentRef == null ? null : refs.environmentId(deferral.environmentRef.name));
    m.put("execution", Map.of("timeout_seconds", spec.timeoutSeconds == null ? 0L : spec.timeoutSeconds));
    m.put("created_at", AccountsApi.timestamp(ApiMetadata.created(job)));
    m.put("updated_at", AccountsApi.timestamp(ApiMetadata.updated(job)));
    OffsetDateTime next = cron == null || suspended ? null : nextRun(job.getStatus());
    m.put("next_run", AccountsApi.timestamp(next));
    m.put("next_run_humanized", next == null ? null : humanized(refs.now(), next.toInstant()));
    m.put("most_recent_run", recent.mostRecent(jobId));
    m.put("most_recent_completed_run", recent.mostRecentCompleted(jobId));
    return m;
  }

  private static Map<String, Object> triggers(boolean scheduled) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("github_webhook", false);
    m.put("git_provider_webhook", false);
    m.put("schedule", scheduled);
    m.put("on_merge", false);
    m.put("custom_branch_only", false);
    return m;
  }

  /** What runs use: the job's own threads and target, else its environment's. */
  private static Map<String, Object> settings(DbtJobSpec spec, Optional<DbtEnvironment> env) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("threads", spec.threads != null ? spec.threads
        : env.map(e -> EnvironmentJson.threads(e.getSpec())).orElse(EnvironmentJson.DEFAULT_THREADS));
    m.put("target_name", spec.targetName != null ? spec.targetName
        : env.map(e -> EnvironmentJson.targetName(e.getSpec())).orElse(EnvironmentJson.DEFAULT_TARGET));
    return m;
  }

  private static Map<String, Object> completionTrigger(DbtJobSpec spec, JobReferences refs) {
    JobCompletionTrigger trigger = spec.triggers == null ? null : spec.triggers.onJobCompletion;
    if (trigger == null || trigger.jobRef == null) {
      return null;
    }
    Map<String, Object> condition = new LinkedHashMap<>();
    condition.put("job_id", refs.jobId(trigger.jobRef.name));
    condition.put("project_id", refs.projectIdOfJob(trigger.jobRef.name));
    condition.put("statuses", trigger.statuses == null ? List.of()
        : trigger.statuses.stream().map(STATUS_CODES::get).filter(Objects::nonNull).sorted().toList());
    return Map.of("condition", condition);
  }

  private static OffsetDateTime nextRun(DbtJobStatus status) {
    return status == null ? null : RunTimes.parse(status.nextRunTime);
  }

  /** "in 5 minutes", "in 3 hours", "in 2 days". */
  static String humanized(Instant now, Instant then) {
    Duration d = Duration.between(now, then);
    if (d.toMinutes() < 1) {
      return d.isNegative() ? "overdue" : "in less than a minute";
    }
    if (d.toHours() < 1) {
      return "in " + plural(d.toMinutes(), "minute");
    }
    if (d.toDays() < 2) {
      return "in " + plural(d.toHours(), "hour");
    }
    return "in " + plural(d.toDays(), "day");
  }

  private static String plural(long n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s");
  }
}
