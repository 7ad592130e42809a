package dev.dbtplatform.api.http;

import dev.dbtplatform.api.db.Account;
import dev.dbtplatform.api.db.RunHistory;
import dev.dbtplatform.api.live.LiveRun;
import dev.dbtplatform.api.live.LiveRuns;
import dev.dbtplatform.api.runs.RunQuery;
import dev.dbtplatform.api.runs.RunRequest;
import dev.dbtplatform.api.runs.RunStatus;
import dev.dbtplatform.api.runs.StoredRun;
import dev.dbtplatform.api.runs.Trigger;
import dev.dbtplatform.api.storage.ObjectStoreException;
import dev.dbtplatform.crd.DbtRun;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/** Runs: list, get, cancel and retry, read from run history. */
final class RunsApi implements ApiRoutes {
  static final String RUNS = "/api/v2/accounts/{account_id}/runs";
  static final String RUN = RUNS + "/{run_id}";
  /** The most of one step's log a run shows; the whole log is in object storage. */
  static final long MAX_LOG_BYTES = 1024 * 1024;

  private final ApiServices services;
  private final RunLauncher launcher;
  private final LiveRuns live;

  RunsApi(ApiServices services) {
    this.services = services;
    this.launcher = new RunLauncher(services);
    this.live = new LiveRuns(services.cluster(), MAX_LOG_BYTES);
  }

  @Override
  public void routes(RoutesConfig routes) {
    routes.get(RUNS, this::list);
    routes.get(RUN, this::get);
    routes.post(RUN + "/cancel", this::cancel);
    routes.post(RUN + "/retry", this::retry);
  }

  void list(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    QueryParams q = new QueryParams(ctx);
    Map<String, Object> filters = new LinkedHashMap<>();
    filters.put("account_id", account.id());
    Long jobId = q.id("job_definition_id");
    Long projectId = q.id("project_id");
    Long environmentId = q.id("environment_id");
    putIfSet(filters, "job_definition_id", jobId);
    putIfSet(filters, "project_id", projectId);
    putIfSet(filters, "environment_id", environmentId);
    Set<RunStatus> statuses = EnumSet.noneOf(RunStatus.class);
    if (q.string("status") != null) {
      statuses.add(status(q.string("status"), "status"));
      filters.put("status", q.string("status"));
    }
    List<String> statusIn = q.list("status__in");
    for (String s : statusIn) {
      statuses.add(status(s, "status__in"));
    }
    if (!statusIn.isEmpty()) {
      filters.put("status__in", statusIn);
    }
    OffsetDateTime[] range = finishedRange(q.list("finished_at__range"));
    if (range != null) {
      filters.put("finished_at__range", List.of(AccountsApi.timestamp(range[0]), AccountsApi.timestamp(range[1])));
    }
    String orderBy = q.string("order_by") == null ? "id" : q.string("order_by");
    boolean descending = orderBy.startsWith("-");
    RunQuery.Order order;
    try {
      order = RunQuery.Order.valueOf(descending ? orderBy.substring(1) : orderBy);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("Query parameter 'order_by' must be id, created_at or finished_at, "
          + "with a leading - for descending order; got '" + QueryParams.abbreviate(orderBy) + "'.");
    }
    Set<String> includes = q.choices("include_related", RunJson.INCLUDES);
    int limit = q.limit();
    int offset = q.offset();
    filters.put("limit", limit);
    filters.put("offset", offset);
    RunHistory.Page page = services.runs().list(new RunQuery(account.id(), jobId, projectId, environmentId, statuses,
        range == null ? null : range[0], range == null ? null : range[1], order, descending, limit, offset));
    OffsetDateTime now = OffsetDateTime.now(services.clock());
    RelatedObjects related = new RelatedObjects(services, account, includes, baseUrl(ctx)).prepare(page.runs());
    List<Map<String, Object>> data = page.runs().stream()
        .map(run -> RunJson.toJson(run, includes, baseUrl(ctx), now, this::stepLog, related.of(run)))
        .toList();
    ApiServer.json(ctx, 200, Envelope.list(data, filters, orderBy, page.totalCount()));
  }

  /**
   * A run in progress shows its steps and their logs live from its pod when they are asked for;
   * the list does not, as reading every pod's log would make one request read many.
   */
  void get(Context ctx) {
    StoredRun run = run(ctx);
    Set<String> includes = new QueryParams(ctx).choices("include_related", RunJson.INCLUDES);
    Map<String, Object> related = new RelatedObjects(services, RequestAuth.account(ctx, services), includes,
        baseUrl(ctx)).of(run);
    BiFunction<StoredRun, Integer, String> stepLog = this::stepLog;
    Optional<LiveRun> fromPod = includes.contains("run_steps") || includes.contains("debug_logs")
        ? live.read(run) : Optional.empty();
    if (fromPod.isPresent()) {
      run = run.withSteps(fromPod.get().steps());
      stepLog = (r, step) -> fromPod.get().log(step);
    }
    ApiServer.json(ctx, 200, Envelope.success(RunJson.toJson(run, includes, baseUrl(ctx),
        OffsetDateTime.now(services.clock()), stepLog, related)));
  }

  /**
   * Asks the operator to stop the run ({@code spec.cancel: true}); the run shows Cancelled once
   * its pod has stopped. A finished run is answered as it is, as dbt Cloud does.
   */
  void cancel(Context ctx) {
    StoredRun run = run(ctx);
    Audit.object(ctx, "run", run.id());
    if (!run.status().isComplete()) {
      try {
        // A merge patch names no resourceVersion: the operator writing the run's status at the
        // same moment (it does so often while the run starts) must not make the cancel fail.
        services.cluster().resources(DbtRun.class).inNamespace(run.namespace()).withName(run.name())
            .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"cancel\":true}}");
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) { // gone already: history has its last state
          throw Cluster.refused("cancel the run", e);
        }
      }
    }
    ApiServer.json(ctx, 200, Envelope.success(toJson(ctx, services.runs().find(run.accountId(), run.id()).orElse(run),
        Set.of(), OffsetDateTime.now(services.clock()))));
  }

  /** Retries an errored run from its failed step, as a new run of the same job. */
  void retry(Context ctx) {
    StoredRun run = run(ctx);
    if (!RunJson.canRetry(run)) {
      throw new ApiException(409, "Run " + run.id() + " cannot be retried: only a job's run that ended in error can, "
          + "and this one is " + run.status().humanized + (run.jobId() == null ? " and belongs to no job" : "") + ".");
    }
    StoredRun retried = launcher.launch(RequestAuth.account(ctx, services), fromFailedStep(run, "retry",
        "Retry of run " + run.id()));
    Audit.object(ctx, "run", retried.id());
    ApiServer.json(ctx, 200, Envelope.success(toJson(ctx, retried, Set.of(), OffsetDateTime.now(services.clock()))));
  }

  /**
   * A new run of the errored run's job that starts at the step that failed, keeping its overrides.
   * The steps left hold a docs checkbox step if the run had one, so the new run adds no checkbox
   * steps of its own. A run that failed before dbt started (clone, profile) runs as its job says.
   */
  static RunRequest fromFailedStep(StoredRun run, String category, String cause) {
    int failed = run.failedStep();
    List<String> steps = run.steps().stream()
        .filter(s -> failed > 0 && s.index() >= failed && s.command() != null).map(s -> s.command()).toList();
    Map<String, Object> o = run.trigger().overrides();
    Map<String, Object> overrides = new LinkedHashMap<>(o);
    if (!steps.isEmpty()) {
      overrides.put("steps_override", steps);
    }
    String gitRef = run.gitSha() != null ? run.gitSha() : (String) o.getOrDefault("git_branch", null);
    Boolean checkboxes = steps.isEmpty() ? null : Boolean.FALSE;
    return new RunRequest(run.jobId(), new Trigger(cause, category, overrides), steps.isEmpty() ? null : steps,
        o.get("threads_override") instanceof Number n ? n.intValue() : null,
        (String) o.get("target_name_override"), (String) o.get("schema_override"),
        o.get("timeout_seconds_override") instanceof Number n ? n.longValue() : null,
        gitRef, run.id(), steps.isEmpty() && o.get("generate_docs_override") instanceof Boolean b ? b : checkboxes,
        checkboxes);
  }

  StoredRun run(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    long id = PathIds.parse(ctx, "run_id", "run");
    return services.runs().find(account.id(), id).orElseThrow(() -> ApiException.notFound("Run " + id + " was not found."));
  }

  Map<String, Object> toJson(Context ctx, StoredRun run, Set<String> includes, OffsetDateTime now) {
    return RunJson.toJson(run, includes, baseUrl(ctx), now, this::stepLog, Map.of());
  }

  /** A step's log from object storage once flushed; before that, none (a running run's comes from its pod). */
  private String stepLog(StoredRun run, int step) {
    if (services.files() == null || run.logsBucket() == null || run.logsPrefix() == null || !run.artifactsSaved()) {
      return null;
    }
    try {
      return services.files().stepLog(run.logsBucket(), run.logsPrefix(), step, MAX_LOG_BYTES).orElse(null);
    } catch (ObjectStoreException e) {
      return "[the log of this step is in object storage, which cannot be read right now: " + e.getMessage() + "]";
    }
  }

  static String baseUrl(Context ctx) {
    return ctx.scheme() + "://" + ctx.host();
  }

  private static RunStatus status(String text, String param) {
    try {
      return RunStatus.ofCode(Integer.parseInt(text.strip())).orElseThrow(NumberFormatException::new);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("Query parameter '" + param + "' must be run status codes: 1 (Queued), "
          + "2 (Starting), 3 (Running), 10 (Success), 20 (Error) or 30 (Cancelled); got '" + QueryParams.abbreviate(text) + "'.");
    }
  }

  /** {@code ["2024-01-01", "2024-01-31"]}: dates include the whole day; date-times are exact. */
  private static OffsetDateTime[] finishedRange(List<String> items) {
    if (items.isEmpty()) {
      return null;
    }
    if (items.size() != 2) {
      throw ApiException.badRequest("Query parameter 'finished_at__range' must be two dates or date-times, "
          + "like [\"2024-01-01\", \"2024-01-31\"].");
    }
    return new OffsetDateTime[] {time(items.get(0), false), time(items.get(1), true)};
  }

  private static OffsetDateTime time(String text, boolean endOfDay) {
    try {
      if (text.length() == 10) {
        LocalDate day = LocalDate.parse(text);
        return endOfDay ? day.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC).minusNanos(1000)
            : day.atStartOfDay().atOffset(ZoneOffset.UTC);
      }
      String iso = text.replace(' ', 'T');
      try {
        return OffsetDateTime.parse(iso);
      } catch (DateTimeParseException e) {
        return java.time.LocalDateTime.parse(iso).atOffset(ZoneOffset.UTC);
      }
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest("Query parameter 'finished_at__range' has '" + QueryParams.abbreviate(text)
          + "', which is not a date (2024-01-31) or date-time (2024-01-31T12:00:00Z).");
    }
  }

  private static void putIfSet(Map<String, Object> filters, String key, Object value) {
    if (value != null) {
      filters.put(key, value);
    }
  }
}
