package dev.dbtplatform.api.http;

import dev.dbtplatform.api.db.Account;
import dev.dbtplatform.api.runs.RunRequest;
import dev.dbtplatform.api.runs.RunStatus;
import dev.dbtplatform.api.runs.StoredRun;
import dev.dbtplatform.api.runs.Trigger;
import dev.dbtplatform.crd.DbtJob;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

/** Starting a job's runs: trigger with dbt Cloud's body, and rerun. */
final class TriggerApi implements ApiRoutes {
  static final String JOB = "/api/v2/accounts/{account_id}/jobs/{job_id}";

  private final ApiServices services;
  private final RunLauncher launcher;
  private final RunsApi runs;

  TriggerApi(ApiServices services, RunsApi runs) {
    this.services = services;
    this.launcher = new RunLauncher(services);
    this.runs = runs;
  }

  @Override
  public void routes(RoutesConfig routes) {
    routes.post(JOB + "/run", this::trigger);
    routes.post(JOB + "/rerun", this::rerun);
  }

  void trigger(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    long jobId = PathIds.parse(ctx, "job_id", "job");
    RunRequest request = TriggerBody.parse(jobId, JsonBody.of(ctx), "api", null);
    requireTriggerable(account, jobId);
    answer(ctx, launcher.launch(account, request));
  }

  /**
   * Reruns the job: from the failed step when its latest run ended in error, else the whole job
   * as a new run, as dbt Cloud's rerun endpoint does.
   */
  void rerun(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    long jobId = PathIds.parse(ctx, "job_id", "job");
    requireTriggerable(account, jobId);
    StoredRun latest = services.runs().latestOfJob(account.id(), jobId, List.of()).orElse(null);
    RunRequest request = latest != null && latest.status() == RunStatus.ERROR
        ? RunsApi.fromFailedStep(latest, "retry", "Rerun of run " + latest.id() + " from its failed step")
        : new RunRequest(jobId, new Trigger("Rerun of job " + jobId, "api", null), null, null, null, null, null, null,
            latest == null ? null : latest.id(), null, null);
    answer(ctx, launcher.launch(account, request));
  }

  private void requireTriggerable(Account account, long jobId) {
    DbtJob job = launcher.job(account, jobId);
    if (job.getSpec() != null && Boolean.TRUE.equals(job.getSpec().suspend)) {
      throw new ApiException(409, "Job " + jobId + " is deactivated (suspended); activate it to start runs.");
    }
    if (job.getSpec() != null && job.getSpec().triggers != null && Boolean.FALSE.equals(job.getSpec().triggers.api)) {
      throw new ApiException(409, "Job " + jobId + " does not accept runs through the API (triggers.api is false).");
    }
  }

  private void answer(Context ctx, StoredRun run) {
    Audit.object(ctx, "run", run.id());
    ApiServer.json(ctx, 200, Envelope.success(runs.toJson(ctx, run, Set.of(), OffsetDateTime.now(services.clock()))));
  }
}
