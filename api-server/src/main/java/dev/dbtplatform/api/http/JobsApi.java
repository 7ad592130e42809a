package dev.dbtplatform.api.http;

import dev.dbtplatform.api.db.Account;
import dev.dbtplatform.api.db.ObjectIds.Kind;
import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.crd.DbtJob;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** dbt Cloud's v2 job definitions, kept as DbtJobs in the account's namespace. */
final class JobsApi implements ApiRoutes {
  private static final String LIST = "/api/v2/accounts/{account_id}/jobs";
  private static final String ONE = LIST + "/{job_id}";

  private record Row(JobOrder.Key key, DbtJob job) {}

  private final ApiServices services;

  JobsApi(ApiServices services) {
    this.services = services;
  }

  @Override
  public void routes(RoutesConfig routes) {
    routes.get(LIST, this::list);
    routes.post(LIST, this::create);
    routes.get(ONE, this::get);
    routes.post(ONE, this::update);
    routes.put(ONE, this::update);
    routes.delete(ONE, this::delete);
  }

  void list(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    QueryParams query = new QueryParams(ctx);
    Paging paging = Paging.of(query);
    NameAndStateFilter filter = NameAndStateFilter.of(query);
    Long projectId = query.id("project_id");
    Long environmentId = query.id("environment_id");
    JobOrder order = JobOrder.parse(query.string("order_by"));

    JobReferences refs = JobReferences.of(services, account);
    List<DbtJob> all = refs.allJobs();
    Map<String, Long> ids = refs.jobs().idsOf(account, all);
    List<Row> matching = all.stream()
        .filter(j -> projectId == null || projectId.equals(refs.projectIdOfEnvironment(environmentName(j))))
        .filter(j -> environmentId == null || environmentId.equals(refs.environmentId(environmentName(j))))
        .filter(j -> filter.matches(ApiMetadata.displayName(j), isSuspended(j) ? 2 : 1))
        .map(j -> new Row(new JobOrder.Key(ids.get(j.getMetadata().getName()), ApiMetadata.displayName(j),
            ApiMetadata.created(j)), j))
        .sorted((a, b) -> order.comparator().compare(a.key(), b.key()))
        .toList();
    Map<String, Object> filters = new LinkedHashMap<>();
    filters.put("account_id", account.id());
    if (projectId != null) {
      filters.put("project_id", projectId);
    }
    if (environmentId != null) {
      filters.put("environment_id", environmentId);
    }
    // the page's most recent runs in one query, not one per job
    RecentRuns recent = new RecentRuns(services, account, RunsApi.baseUrl(ctx))
        .load(paging.page(matching).stream().map(row -> row.key().id()).toList());
    ApiServer.json(ctx, 200, paging.envelope(matching, filter.shown(filters), order.toString(),
        row -> JobJson.toJson(account, row.key().id(), row.job(), refs, recent)));
  }

  void get(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    long id = PathIds.parse(ctx, "job_id", "job");
    JobReferences refs = JobReferences.of(services, account);
    ApiServer.json(ctx, 200, Envelope.success(JobJson.toJson(account, id, refs.jobs().get(account, id), refs,
        recent(ctx, account))));
  }

  void create(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    JsonBody body = JsonBody.of(ctx);
    JobReferences refs = JobReferences.of(services, account);
    DbtJob draft = new DbtJob();
    new JobRequest(refs).apply(body, draft, null);

    var created = refs.jobs().create(account, ApiMetadata.displayName(draft), "job", (name, id) -> {
      draft.getMetadata().setName(name);
      draft.getMetadata().setNamespace(account.namespace());
      labelIds(draft, id, refs);
      return draft;
    });
    Audit.object(ctx, Kind.DbtJob.name(), created.id());
    ApiServer.json(ctx, 201, Envelope.created(JobJson.toJson(account, created.id(), created.resource(), refs,
        recent(ctx, account))));
  }

  void update(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    long id = PathIds.parse(ctx, "job_id", "job");
    JsonBody body = JsonBody.of(ctx);
    JobReferences refs = JobReferences.of(services, account);
    DbtJob job = refs.jobs().get(account, id);
    Audit.object(ctx, Kind.DbtJob.name(), id);
    new JobRequest(refs).apply(body, job, id);
    labelIds(job, id, refs);
    DbtJob updated = refs.jobs().update(job, id);
    ApiServer.json(ctx, 200, Envelope.success(JobJson.toJson(account, id, updated, refs, recent(ctx, account))));
  }

  void delete(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    long id = PathIds.parse(ctx, "job_id", "job");
    JobReferences refs = JobReferences.of(services, account);
    DbtJob job = refs.jobs().get(account, id);
    Audit.object(ctx, Kind.DbtJob.name(), id);
    Map<String, Object> json = JobJson.toJson(account, id, job, refs, recent(ctx, account));
    refs.jobs().delete(job, id);
    json.put("state", 2); // dbt Cloud answers a delete with the object in its deleted state
    ApiServer.json(ctx, 200, Envelope.success(json));
  }

  private RecentRuns recent(Context ctx, Account account) {
    return new RecentRuns(services, account, RunsApi.baseUrl(ctx));
  }

  /** The numeric ids on the job's labels, for kubectl selectors; they follow the job's environment. */
  private static void labelIds(DbtJob job, long id, JobReferences refs) {
    String environment = environmentName(job);
    ApiMetadata.setIdLabel(job, ApiGroup.ACCOUNT_ID_LABEL, refs.account().id());
    ApiMetadata.setIdLabel(job, ApiGroup.JOB_ID_LABEL, id);
    ApiMetadata.setIdLabel(job, ApiGroup.ENVIRONMENT_ID_LABEL, refs.environmentId(environment));
    ApiMetadata.setIdLabel(job, ApiGroup.PROJECT_ID_LABEL, refs.projectIdOfEnvironment(environment));
  }

  private static String environmentName(DbtJob job) {
    return job.getSpec() == null || job.getSpec().environmentRef == null ? null : job.getSpec().environmentRef.name;
  }

  private static boolean isSuspended(DbtJob job) {
    return job.getSpec() != null && Boolean.TRUE.equals(job.getSpec().suspend);
  }
}
