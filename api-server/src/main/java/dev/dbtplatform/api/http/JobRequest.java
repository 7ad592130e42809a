package dev.dbtplatform.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbtplatform.api.db.Account;
import dev.dbtplatform.contract.Cron;
import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.crd.DbtEnvironment;
import dev.dbtplatform.crd.DbtEnvironmentSpec;
import dev.dbtplatform.crd.DbtJob;
import dev.dbtplatform.crd.DbtJobSpec;
import dev.dbtplatform.crd.JobCompletionStatus;
import dev.dbtplatform.crd.JobCompletionTrigger;
import dev.dbtplatform.crd.JobDeferral;
import dev.dbtplatform.crd.JobSchedule;
import dev.dbtplatform.crd.JobTriggers;
import dev.dbtplatform.crd.ObjectRef;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Applies a dbt Cloud job definition to a DbtJob. dbt Cloud clients post the whole object back to
 * update it, read-only fields included; a field absent from the body leaves the job as it is, a
 * null one clears it. Ids in the body must name this account's objects; everything is checked
 * before anything is written.
 */
final class JobRequest {
  private static final Pattern DBT_COMMAND = Pattern.compile("^dbt\\s+[a-z].*", Pattern.DOTALL);
  private static final int MAX_STEPS = 50;
  private static final long MAX_TIMEOUT_SECONDS = 172_800;
  private static final List<String> UNSUPPORTED_TRIGGERS = List.of("github_webhook", "git_provider_webhook", "on_merge");
  private static final Map<String, JobCompletionStatus> STATUS_NAMES = Map.of(
      "10", JobCompletionStatus.Succeeded, "success", JobCompletionStatus.Succeeded,
      "20", JobCompletionStatus.Failed, "error", JobCompletionStatus.Failed,
      "30", JobCompletionStatus.Cancelled, "cancelled", JobCompletionStatus.Cancelled,
      "canceled", JobCompletionStatus.Cancelled);

  private final JobReferences refs;
  private final Account account;

  JobRequest(JobReferences refs) {
    this.refs = refs;
    this.account = refs.account();
  }

  /** @param jobId the job's id, null when creating */
  void apply(JsonBody body, DbtJob job, Long jobId) {
    boolean creating = jobId == null;
    SpecRules.sameIds(body, jobId, account.id());
    if (job.getSpec() == null) {
      job.setSpec(new DbtJobSpec());
    }
    DbtJobSpec spec = job.getSpec();
    if (creating || body.present("name")) {
      ApiMetadata.setAnnotation(job, ApiGroup.DISPLAY_NAME_ANNOTATION, SpecRules.displayName(body));
    }
    if (body.present("description")) {
      ApiMetadata.setAnnotation(job, ApiGroup.DESCRIPTION_ANNOTATION, body.string("description").orElse(null));
    }
    environment(body, spec, creating);
    sameProject(body, spec);
    steps(body, spec, creating);
    if (SpecRules.optionalText(body, "dbt_version") != null) {
      throw body.invalid("dbt_version", "must be null: a job runs its environment's dbt version; set it there.");
    }
    settings(body, spec);
    state(body, spec);
    body.bool("generate_docs").ifPresent(v -> spec.generateDocs = v);
    body.bool("run_generate_sources").ifPresent(v -> spec.runGenerateSources = v);
    schedule(body, spec);
    completionTrigger(body, spec, jobId);
    deferral(body, spec);
    body.object("execution").filter(e -> e.present("timeout_seconds")).ifPresent(e ->
        spec.timeoutSeconds = e.integer("timeout_seconds", 0, MAX_TIMEOUT_SECONDS).filter(t -> t > 0).orElse(null));
  }

  private void environment(JsonBody body, DbtJobSpec spec, boolean creating) {
    Optional<Long> id = body.integer("environment_id");
    if (id.isEmpty()) {
      if (creating || body.present("environment_id")) {
        throw body.invalid("environment_id", "is required: the id of the deployment environment the job runs in.");
      }
      return;
    }
    DbtEnvironment env = refs.environments().find(account, id.get())
        .orElseThrow(() -> body.invalid("environment_id", "is " + id.get() + ", which is not an environment of this account."));
    if (env.getSpec() != null && env.getSpec().type == DbtEnvironmentSpec.Type.development) {
      throw body.invalid("environment_id", "is " + id.get() + ", a development environment; jobs run in deployment "
          + "environments.");
    }
    spec.environmentRef = ObjectRef.named(env.getMetadata().getName());
  }

  /** dbt Cloud sends the project too; it must be the environment's, since the job follows its environment. */
  private void sameProject(JsonBody body, DbtJobSpec spec) {
    Optional<Long> given = body.integer("project_id");
    if (given.isEmpty() || spec.environmentRef == null) {
      return;
    }
    Long actual = refs.projectIdOfEnvironment(spec.environmentRef.name);
    if (!given.get().equals(actual)) {
      throw body.invalid("project_id", "is " + given.get() + " but the job's environment "
          + refs.environmentId(spec.environmentRef.name) + " belongs to project " + actual + ".");
    }
  }

  /** The steps of a job created without execute_steps, as a new job in dbt Cloud starts. */
  static final List<String> DEFAULT_STEPS = List.of("dbt build");

  private static void steps(JsonBody body, DbtJobSpec spec, boolean creating) {
    Optional<List<String>> given = body.strings("execute_steps");
    if (given.isEmpty()) {
      if (body.present("execute_steps")) {
        throw body.invalid("execute_steps", "must be a list of dbt commands, like [\"dbt build\"], not null.");
      }
      if (creating) {
        // a job made only to be triggered with steps_override (dagster-dbt does this) runs what a new job does
        spec.steps = new ArrayList<>(DEFAULT_STEPS);
      }
      return;
    }
    List<String> steps = given.get().stream().map(String::strip).toList();
    if (steps.isEmpty() || steps.size() > MAX_STEPS) {
      throw body.invalid("execute_steps", "must hold 1 to " + MAX_STEPS + " dbt commands, got " + steps.size() + ".");
    }
    for (int i = 0; i < steps.size(); i++) {
      if (!DBT_COMMAND.matcher(steps.get(i)).matches()) {
        throw body.invalid("execute_steps", "item " + (i + 1) + " ('" + QueryParams.abbreviate(steps.get(i))
            + "') is not a dbt command: each step starts with 'dbt ', like 'dbt build --select tag:nightly'.");
      }
    }
    spec.steps = new ArrayList<>(steps);
  }

  /**
   * The job's own threads and target. The job's JSON shows the environment's when the job sets
   * none; that value posted back keeps the job following its environment rather than pinning it.
   */
  private void settings(JsonBody body, DbtJobSpec spec) {
    Optional<JsonBody> settings = body.object("settings");
    if (settings.isEmpty()) {
      return;
    }
    JsonBody s = settings.get();
    Optional<DbtEnvironmentSpec> env = refs.environment(spec.environmentRef == null ? null : spec.environmentRef.name)
        .map(DbtEnvironment::getSpec);
    if (s.present("threads")) {
      Integer threads = SpecRules.threads(s, "threads").orElse(null);
      boolean inherited = spec.threads == null && threads != null
          && threads.equals(env.map(EnvironmentJson::threads).orElse(EnvironmentJson.DEFAULT_THREADS));
      spec.threads = inherited ? null : threads;
    }
    if (s.present("target_name")) {
      String target = SpecRules.targetName(s, "target_name");
      boolean inherited = spec.targetName == null && target != null
          && target.equals(env.map(EnvironmentJson::targetName).orElse(EnvironmentJson.DEFAULT_TARGET));
      spec.targetName = inherited ? null : target;
    }
  }

  /** dbt Cloud's state 1 is active; 2 (deleted there) stops the triggers here. */
  private static void state(JsonBody body, DbtJobSpec spec) {
    body.integer("state").ifPresent(state -> {
      if (state != 1 && state != 2) {
        throw body.invalid("state", "must be 1 (active) or 2 (suspended: no triggered runs), got " + state + ".");
      }
      spec.suspend = state == 2;
    });
  }

  private static void schedule(JsonBody body, DbtJobSpec spec) {
    Optional<JsonBody> triggers = body.object("triggers");
    triggers.ifPresent(t -> {
      for (String unsupported : UNSUPPORTED_TRIGGERS) {
        if (t.bool(unsupported).orElse(false)) {
          throw t.invalid(unsupported, "must be false: runs start here by schedule, through the API or when "
              + "another job completes.");
        }
      }
    });
    Optional<String> cron = body.object("schedule").flatMap(JobSchedules::cron);
    JobSchedule current = spec.triggers == null ? null : spec.triggers.schedule;
    boolean scheduled = triggers.flatMap(t -> t.bool("schedule")).orElse(current != null);
    if (scheduled) {
      String chosen = cron.orElse(current == null ? null : current.cron);
      if (chosen == null) {
        throw ApiException.badRequest("Field 'schedule.cron' is required when 'triggers.schedule' is true: "
            + Cron.FORMAT + ".");
      }
      triggers(spec).schedule = new JobSchedule(chosen);
    } else if (spec.triggers != null) {
      spec.triggers.schedule = null;
    }
  }

  private void completionTrigger(JsonBody body, DbtJobSpec spec, Long jobId) {
    if (!body.present("job_completion_trigger_condition")) {
      return;
    }
    Optional<JsonBody> given = body.object("job_completion_trigger_condition");
    if (given.isEmpty()) {
      if (spec.triggers != null) {
        spec.triggers.onJobCompletion = null;
      }
      return;
    }
    JsonBody condition = given.get().object("condition")
        .orElseThrow(() -> given.get().invalid("condition", "is required: {\"job_id\": ..., \"statuses\": [10]}."));
    long otherId = condition.integer("job_id")
        .orElseThrow(() -> condition.invalid("job_id", "is required: the job whose runs trigger this one."));
    if (jobId != null && otherId == jobId) {
      throw condition.invalid("job_id", "is this job's own id; a job cannot be triggered by its own runs.");
    }
    String other = jobName(condition, "job_id", otherId);
    Optional<Long> project = condition.integer("project_id");
    Long actual = refs.projectIdOfJob(other);
    if (project.isPresent() && !project.get().equals(actual)) {
      throw condition.invalid("project_id", "is " + project.get() + " but job " + otherId + " is in project " + actual + ".");
    }
    JobCompletionTrigger trigger = new JobCompletionTrigger();
    trigger.jobRef = ObjectRef.named(other);
    trigger.statuses = new ArrayList<>(statuses(condition));
    triggers(spec).onJobCompletion = trigger;
  }

  /** dbt Cloud's run status codes 10, 20, 30, or the Terraform provider's names for them. */
  private static Set<JobCompletionStatus> statuses(JsonBody condition) {
    JsonNode list = condition.raw("statuses");
    String expected = "must be a non-empty list of run statuses: 10 (success), 20 (error), 30 (cancelled).";
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw condition.invalid("statuses", expected);
    }
    Set<JobCompletionStatus> statuses = new LinkedHashSet<>();
    for (JsonNode item : list) {
      JobCompletionStatus status = item.isIntegralNumber() || item.isTextual()
          ? STATUS_NAMES.get(item.asText().strip().toLowerCase(Locale.ROOT)) : null;
      if (status == null) {
        throw condition.invalid("statuses", expected);
      }
      statuses.add(status);
    }
    return statuses;
  }

  /** At most one of a job and an environment to defer to, as the CRD requires. */
  private void deferral(JsonBody body, DbtJobSpec spec) {
    boolean jobGiven = body.present("deferring_job_definition_id");
    boolean environmentGiven = body.present("deferring_environment_id");
    if (!jobGiven && !environmentGiven) {
      return;
    }
    String job = spec.deferral == null || spec.deferral.jobRef == null ? null : spec.deferral.jobRef.name;
    String environment = spec.deferral == null || spec.deferral.environmentRef == null ? null : spec.deferral.environmentRef.name;
    if (jobGiven) {
      job = body.integer("deferring_job_definition_id")
          .map(id -> jobName(body, "deferring_job_definition_id", id)).orElse(null);
    }
    if (environmentGiven) {
      environment = body.integer("deferring_environment_id")
          .map(id -> environmentName(body, "deferring_environment_id", id)).orElse(null);
    }
    if (job != null && environment != null) {
      throw ApiException.badRequest("Set only one of 'deferring_job_definition_id' and 'deferring_environment_id': "
          + "a job defers to one job's or one environment's state.");
    }
    if (job == null && environment == null) {
      spec.deferral = null;
      return;
    }
    JobDeferral deferral = new JobDeferral();
    deferral.jobRef = job == null ? null : ObjectRef.named(job);
    deferral.environmentRef = environment == null ? null : ObjectRef.named(environment);
    spec.deferral = deferral;
  }

  private String jobName(JsonBody body, String field, long id) {
    return refs.jobs().find(account, id).map(j -> j.getMetadata().getName())
        .orElseThrow(() -> body.invalid(field, "is " + id + ", which is not a job of this account."));
  }

  private String environmentName(JsonBody body, String field, long id) {
    return refs.environments().find(account, id).map(e -> e.getMetadata().getName())
        .orElseThrow(() -> body.invalid(field, "is " + id + ", which is not an environment of this account."));
  }

  private static JobTriggers triggers(DbtJobSpec spec) {
    if (spec.triggers == null) {
      spec.triggers = new JobTriggers();
    }
    return spec.triggers;
  }
}
