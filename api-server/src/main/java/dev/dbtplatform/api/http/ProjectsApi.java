package dev.dbtplatform.api.http;

import dev.dbtplatform.api.db.Account;
import dev.dbtplatform.api.db.ObjectIds.Kind;
import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.crd.DbtEnvironment;
import dev.dbtplatform.crd.DbtProject;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** dbt Cloud's v3 projects, kept as DbtProjects in the account's namespace. */
final class ProjectsApi implements ApiRoutes {
  private static final String LIST = "/api/v3/accounts/{account_id}/projects";
  private static final String ONE = LIST + "/{project_id}";
  /** dbt Cloud still answers reads of one project on v2; dagster-dbt's DbtCloudWorkspace reads its name there. */
  private static final String ONE_V2 = "/api/v2/accounts/{account_id}/projects/{project_id}";

  private final ApiServices services;
  private final AccountResources<DbtProject> projects;
  private final AccountResources<DbtEnvironment> environments;

  ProjectsApi(ApiServices services) {
    this.services = services;
    this.projects = new AccountResources<>(services, DbtProject.class, Kind.DbtProject, "project");
    this.environments = new AccountResources<>(services, DbtEnvironment.class, Kind.DbtEnvironment, "environment");
  }

  @Override
  public void routes(RoutesConfig routes) {
    routes.get(LIST, this::list);
    routes.post(LIST, this::create);
    routes.get(ONE, this::get);
    routes.get(ONE_V2, this::get);
    routes.post(ONE, this::update);
    routes.put(ONE, this::update);
    routes.delete(ONE, this::delete);
  }

  void list(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    QueryParams query = new QueryParams(ctx);
    Paging paging = Paging.of(query);
    NameAndStateFilter filter = NameAndStateFilter.of(query);

    List<DbtProject> all = projects.list(account);
    Map<String, Long> ids = projects.idsOf(account, all);
    List<DbtProject> matching = all.stream()
        .filter(p -> filter.matches(ApiMetadata.displayName(p), 1))
        .sorted(Comparator.comparing(p -> ids.get(p.getMetadata().getName())))
        .toList();
    ApiServer.json(ctx, 200, paging.envelope(matching, filter.shown(new LinkedHashMap<>()), "id",
        p -> ProjectJson.toJson(account, ids.get(p.getMetadata().getName()), p)));
  }

  void get(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    long id = PathIds.parse(ctx, "project_id", "project");
    ApiServer.json(ctx, 200, Envelope.success(ProjectJson.toJson(account, id, projects.get(account, id))));
  }

  void create(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    JsonBody body = JsonBody.of(ctx);
    SpecRules.sameIds(body, null, account.id());
    String name = SpecRules.displayName(body);
    DbtProject draft = new DbtProject();
    ProjectRequest.apply(body, draft);

    var created = projects.create(account, name, "project", (k8sName, id) -> {
      draft.getMetadata().setName(k8sName);
      draft.getMetadata().setNamespace(account.namespace());
      ApiMetadata.setIdLabel(draft, ApiGroup.ACCOUNT_ID_LABEL, account.id());
      ApiMetadata.setIdLabel(draft, ApiGroup.PROJECT_ID_LABEL, id);
      return draft;
    });
    Audit.object(ctx, Kind.DbtProject.name(), created.id());
    ApiServer.json(ctx, 201, Envelope.created(ProjectJson.toJson(account, created.id(), created.resource())));
  }

  void update(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    long id = PathIds.parse(ctx, "project_id", "project");
    JsonBody body = JsonBody.of(ctx);
    SpecRules.sameIds(body, id, account.id());
    DbtProject project = projects.get(account, id);
    Audit.object(ctx, Kind.DbtProject.name(), id);
    ProjectRequest.apply(body, project);
    DbtProject updated = projects.update(project, id);
    ApiServer.json(ctx, 200, Envelope.success(ProjectJson.toJson(account, id, updated)));
  }

  /** Refused while environments use the project: their runs would fail to find its code. */
  void delete(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    long id = PathIds.parse(ctx, "project_id", "project");
    DbtProject project = projects.get(account, id);
    Audit.object(ctx, Kind.DbtProject.name(), id);
    String name = project.getMetadata().getName();
    List<String> users = environments.list(account).stream()
        .filter(e -> e.getSpec() != null && e.getSpec().projectRef != null && name.equals(e.getSpec().projectRef.name))
        .map(e -> environments.idOf(account, e.getMetadata().getName()) + " (" + ApiMetadata.displayName(e) + ")")
        .sorted()
        .toList();
    if (!users.isEmpty()) {
      throw new ApiException(409, "Project " + id + " still has environments: " + String.join(", ", users)
          + ". Delete them first.");
    }
    Map<String, Object> json = ProjectJson.toJson(account, id, project);
    projects.delete(project, id);
    json.put("state", 2); // dbt Cloud answers a delete with the object in its deleted state
    ApiServer.json(ctx, 200, Envelope.success(json));
  }
}
