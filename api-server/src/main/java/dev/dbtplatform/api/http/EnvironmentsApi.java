package dev.dbtplatform.api.http;

import dev.dbtplatform.api.db.Account;
import dev.dbtplatform.api.db.ObjectIds.Kind;
import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.crd.DbtEnvironment;
import dev.dbtplatform.crd.DbtJob;
import dev.dbtplatform.crd.DbtJobSpec;
import dev.dbtplatform.crd.DbtProject;
import dev.dbtplatform.crd.ObjectRef;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * dbt Cloud's v3 environments, kept as DbtEnvironments. They live under their project's path;
 * an environment of another project answers 404 there. Clients also list and read them account-wide.
 */
final class EnvironmentsApi implements ApiRoutes {
  private static final String IN_PROJECT = "/api/v3/accounts/{account_id}/projects/{project_id}/environments";
  private static final String ONE_IN_PROJECT = IN_PROJECT + "/{environment_id}";
  private static final String IN_ACCOUNT = "/api/v3/accounts/{account_id}/environments";
  private static final String ONE_IN_ACCOUNT = IN_ACCOUNT + "/{environment_id}";
  /** dbt Cloud still answers reads of one environment on v2; dagster-dbt's DbtCloudWorkspace reads its name there. */
  private static final String ONE_V2 = "/api/v2/accounts/{account_id}/environments/{environment_id}";

  private final ApiServices services;
  private final AccountResources<DbtProject> projects;
  private final AccountResources<DbtEnvironment> environments;
  private final AccountResources<DbtJob> jobs;

  EnvironmentsApi(ApiServices services) {
    this.services = services;
    this.projects = new AccountResources<>(services, DbtProject.class, Kind.DbtProject, "project");
    this.environments = new AccountResources<>(services, DbtEnvironment.class, Kind.DbtEnvironment, "environment");
    this.jobs = new AccountResources<>(services, DbtJob.class, Kind.DbtJob, "job");
  }

  @Override
  public void routes(RoutesConfig routes) {
    routes.get(IN_PROJECT, this::listInProject);
    routes.post(IN_PROJECT, this::create);
    routes.get(ONE_IN_PROJECT, this::getInProject);
    routes.post(ONE_IN_PROJECT, this::update);
    routes.put(ONE_IN_PROJECT, this::update);
    routes.delete(ONE_IN_PROJECT, this::delete);
    routes.get(IN_ACCOUNT, this::listInAccount);
    routes.get(ONE_IN_ACCOUNT, this::getInAccount);
    routes.get(ONE_V2, this::getInAccount);
  }

  void listInProject(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    long projectId = PathIds.parse(ctx, "project_id", "project");
    projectName(account, projectId);
    list(ctx, account, projectId);
  }

  void listInAccount(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    list(ctx, account, new QueryParams(ctx).id("project_id"));
  }

  private void list(Context ctx, Account account, Long projectId) {
    QueryParams query = new QueryParams(ctx);
    Paging paging = Paging.of(query);
    NameAndStateFilter filter = NameAndStateFilter.of(query);
    String dbtVersion = query.string("dbt_version");

    List<DbtEnvironment> all = environments.list(account);
    Map<String, Long> ids = environments.idsOf(account, all);
    ProjectIds projectIds = new ProjectIds(account);
    // rendered before paging: dbt_version filters on the version as shown
    List<Map<String, Object>> matching = all.stream()
        .filter(e -> projectId == null || projectId.equals(projectIds.of(e)))
        .filter(e -> filter.matches(ApiMetadata.displayName(e), 1))
        .sorted(Comparator.comparing(e -> ids.get(e.getMetadata().getName())))
        .map(e -> EnvironmentJson.toJson(account, ids.get(e.getMetadata().getName()), projectIds.of(e), e))
        .filter(json -> dbtVersion == null || dbtVersion.equals(json.get("dbt_version")))
        .toList();
    Map<String, Object> filters = new LinkedHashMap<>();
    filters.put("account_id", account.id());
    if (projectId != null) {
      filters.put("project_id", projectId);
    }
    if (dbtVersion != null) {
      filters.put("dbt_version", dbtVersion);
    }
    ApiServer.json(ctx, 200, paging.envelope(matching, filter.shown(filters), "id", json -> json));
  }

  void getInProject(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    long projectId = PathIds.parse(ctx, "project_id", "project");
    long id = PathIds.parse(ctx, "environment_id", "environment");
    DbtEnvironment env = inProject(account, projectId, id);
    ApiServer.json(ctx, 200, Envelope.success(EnvironmentJson.toJson(account, id, projectId, env)));
  }

  void getInAccount(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    long id = PathIds.parse(ctx, "environment_id", "environment");
    DbtEnvironment env = environments.get(account, id);
    ApiServer.json(ctx, 200, Envelope.success(EnvironmentJson.toJson(account, id, new ProjectIds(account).of(env), env)));
  }

  void create(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    long projectId = PathIds.parse(ctx, "project_id", "project");
    JsonBody body = JsonBody.of(ctx);
    DbtProject project = projects.get(account, projectId);
    SpecRules.sameIds(body, null, account.id());
    sameProject(body, projectId);
    String name = SpecRules.displayName(body);
    DbtEnvironment draft = new DbtEnvironment();
    EnvironmentRequest.apply(body, draft, true);
    draft.getSpec().projectRef = ObjectRef.named(project.getMetadata().getName());

    var created = environments.create(account, name, "environment", (k8sName, id) -> {
      draft.getMetadata().setName(k8sName);
      draft.getMetadata().setNamespace(account.namespace());
      ApiMetadata.setIdLabel(draft, ApiGroup.ACCOUNT_ID_LABEL, account.id());
      ApiMetadata.setIdLabel(draft, ApiGroup.PROJECT_ID_LABEL, projectId);
      ApiMetadata.setIdLabel(draft, ApiGroup.ENVIRONMENT_ID_LABEL, id);
      return draft;
    });
    Audit.object(ctx, Kind.DbtEnvironment.name(), created.id());
    ApiServer.json(ctx, 201, Envelope.created(EnvironmentJson.toJson(account, created.id(), projectId, created.resource())));
  }

  void update(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    long projectId = PathIds.parse(ctx, "project_id", "project");
    long id = PathIds.parse(ctx, "environment_id", "environment");
    JsonBody body = JsonBody.of(ctx);
    DbtEnvironment env = inProject(account, projectId, id);
    Audit.object(ctx, Kind.DbtEnvironment.name(), id);
    SpecRules.sameIds(body, id, account.id());
    sameProject(body, projectId);
    EnvironmentRequest.apply(body, env, false);
    DbtEnvironment updated = environments.update(env, id);
    ApiServer.json(ctx, 200, Envelope.success(EnvironmentJson.toJson(account, id, projectId, updated)));
  }

  /** Refused while jobs run in the environment or defer to it: their runs would fail to find it. */
  void delete(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    long projectId = PathIds.parse(ctx, "project_id", "project");
    long id = PathIds.parse(ctx, "environment_id", "environment");
    DbtEnvironment env = inProject(account, projectId, id);
    Audit.object(ctx, Kind.DbtEnvironment.name(), id);
    String name = env.getMetadata().getName();
    List<String> users = jobs.list(account).stream()
        .filter(j -> usesEnvironment(j.getSpec(), name))
        .map(j -> jobs.idOf(account, j.getMetadata().getName()) + " (" + ApiMetadata.displayName(j) + ")")
        .sorted()
        .toList();
    if (!users.isEmpty()) {
      throw new ApiException(409, "Environment " + id + " is still used by jobs: " + String.join(", ", users)
          + ". Delete them or move them to another environment first.");
    }
    Map<String, Object> json = EnvironmentJson.toJson(account, id, projectId, env);
    environments.delete(env, id);
    json.put("state", 2); // dbt Cloud answers a delete with the object in its deleted state
    ApiServer.json(ctx, 200, Envelope.success(json));
  }

  private static boolean usesEnvironment(DbtJobSpec spec, String name) {
    if (spec == null) {
      return false;
    }
    return (spec.environmentRef != null && name.equals(spec.environmentRef.name))
        || (spec.deferral != null && spec.deferral.environmentRef != null && name.equals(spec.deferral.environmentRef.name));
  }

  /** The environment, only if it belongs to the project: another project's answers like a missing one. */
  private DbtEnvironment inProject(Account account, long projectId, long id) {
    String project = projectName(account, projectId);
    DbtEnvironment env = environments.get(account, id);
    String ref = env.getSpec() == null || env.getSpec().projectRef == null ? null : env.getSpec().projectRef.name;
    if (!project.equals(ref)) {
      throw environments.notFound(id);
    }
    return env;
  }

  /** The name behind a project id: the project itself may be gone while its environments remain. */
  private String projectName(Account account, long projectId) {
    return projects.nameOf(account, projectId).orElseThrow(() -> projects.notFound(projectId));
  }

  private static void sameProject(JsonBody body, long projectId) {
    Optional<Long> given = body.integer("project_id");
    if (given.isPresent() && given.get() != projectId) {
      throw body.invalid("project_id", "is " + given.get() + " but the path names project " + projectId
          + "; an environment cannot move to another project.");
    }
  }

  /** The project ids of environments, each project name looked up once. */
  private final class ProjectIds {
    private final Account account;
    private final Map<String, Long> byName = new HashMap<>();

    ProjectIds(Account account) {
      this.account = account;
    }

    Long of(DbtEnvironment env) {
      String name = env.getSpec() == null || env.getSpec().projectRef == null ? null : env.getSpec().projectRef.name;
      return name == null ? null : byName.computeIfAbsent(name, n -> projects.idOf(account, n));
    }
  }
}
