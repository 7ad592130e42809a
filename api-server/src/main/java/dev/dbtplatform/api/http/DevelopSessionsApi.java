package dev.dbtplatform.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbtplatform.api.db.Account;
import dev.dbtplatform.api.db.ObjectIds;
import dev.dbtplatform.api.db.ObjectIds.Kind;
import dev.dbtplatform.api.db.User;
import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.crd.DbtDevelopSession;
import dev.dbtplatform.crd.DbtDevelopSessionSpec;
import dev.dbtplatform.crd.DbtEnvironment;
import dev.dbtplatform.crd.ObjectRef;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Develop sessions: a user's dbt workspace in a pod, kept as DbtDevelopSessions in the account's
 * namespace. The platform's own endpoints (dbt Cloud has no public API for its IDE), in v3's
 * style. Sessions belong to a person, so only personal tokens may use them (403 for a service
 * token), and each user sees only their own. The operator runs the pod; the API writes the spec
 * and the annotations that say when the user was last active and when a stop was asked for.
 */
final class DevelopSessionsApi implements ApiRoutes {
  static final String LIST = "/api/v3/accounts/{account_id}/develop/sessions";
  static final String ONE = LIST + "/{session_id}";
  private static final String STOP = ONE + "/stop";
  /** Label with the session's numeric id, for kubectl selectors (the operator's labels name it by name). */
  static final String SESSION_ID_LABEL = ApiGroup.GROUP + "/develop-session-id";
  /** The user part of a session's name; the id after it keeps names unique. */
  private static final int MAX_USER_PART = 40;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DevelopSessions sessions;
  private final ApiServices services;

  DevelopSessionsApi(DevelopSessions sessions) {
    this.sessions = sessions;
    this.services = sessions.services();
  }

  @Override
  public void routes(RoutesConfig routes) {
    routes.get(LIST, this::list);
    routes.post(LIST, this::create);
    routes.get(ONE, this::get);
    routes.delete(ONE, this::delete);
    routes.post(STOP, this::stop);
  }

  void list(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    User user = RequestAuth.personalUser(ctx, DevelopSessions.WHAT);
    Paging paging = Paging.of(new QueryParams(ctx));
    Map<String, Object> filters = new LinkedHashMap<>();
    filters.put("account_id", account.id());
    filters.put("user", user.username());
    ApiServer.json(ctx, 200, paging.envelope(sessions.own(account, user), filters, "id",
        owned -> DevelopSessionJson.toJson(sessions, account, owned.id(), owned.session(), RunsApi.baseUrl(ctx))));
  }

  void get(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    User user = RequestAuth.personalUser(ctx, DevelopSessions.WHAT);
    long id = sessionId(ctx);
    DbtDevelopSession session = sessions.own(account, user, id);
    ApiServer.json(ctx, 200, Envelope.success(DevelopSessionJson.toJson(sessions, account, id, session,
        RunsApi.baseUrl(ctx))));
  }

  /**
   * A new session of the caller in a development environment of the account. Only the
   * environment's existence is checked here; the operator checks the rest (a development
   * environment, its project and repository, the credentials Secret) and the session's state
   * says what is wrong, as for sessions made with kubectl.
   */
  void create(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    User user = RequestAuth.personalUser(ctx, DevelopSessions.WHAT);
    JsonBody body = JsonBody.of(ctx);
    long environmentId = body.integer("environment_id")
        .orElseThrow(() -> ApiException.badRequest("Field 'environment_id' is required: the id of the development "
            + "environment to work in."));
    String credentials = SpecRules.objectName(body, "credentials_secret_name");
    if (credentials == null) {
      throw ApiException.badRequest("Field 'credentials_secret_name' is required: the Kubernetes Secret in the "
          + "account's namespace with your own development credentials for the warehouse (your own schema).");
    }
    Long idleTimeout = body.integer("idle_timeout_seconds", 60, 604_800).orElse(DbtDevelopSessionSpec.DEFAULT_IDLE_TIMEOUT_SECONDS);
    String branch = SpecRules.gitRef(body, "git_branch");
    DbtEnvironment environment = sessions.environments.get(account, environmentId);
    String project = environment.getSpec() == null || environment.getSpec().projectRef == null
        ? null : environment.getSpec().projectRef.name;
    Long projectId = project == null ? null : sessions.projects.idOf(account, project);

    DbtDevelopSessionSpec spec = new DbtDevelopSessionSpec();
    spec.user = user.username();
    spec.userEmail = user.email();
    spec.environmentRef = ObjectRef.named(environment.getMetadata().getName());
    spec.credentialsSecretRef = ObjectRef.named(credentials);
    spec.idleTimeoutSeconds = idleTimeout;
    spec.gitBranch = branch;
    String userPart = userPart(user.username());
    for (int attempt = 0; attempt < 10; attempt++) {
      ObjectIds.ObjectName named = services.ids().newId(account.id(), Kind.DbtDevelopSession, account.namespace(),
          id -> userPart + "-" + id);
      DbtDevelopSession draft = new DbtDevelopSession(account.namespace(), named.name(), spec);
      ApiMetadata.setIdLabel(draft, ApiGroup.ACCOUNT_ID_LABEL, account.id());
      ApiMetadata.setIdLabel(draft, ApiGroup.ENVIRONMENT_ID_LABEL, environmentId);
      ApiMetadata.setIdLabel(draft, ApiGroup.PROJECT_ID_LABEL, projectId);
      ApiMetadata.setIdLabel(draft, SESSION_ID_LABEL, named.id());
      try {
        DbtDevelopSession created = services.cluster().resource(draft).inNamespace(account.namespace()).create();
        Audit.object(ctx, Kind.DbtDevelopSession.name(), named.id());
        ApiServer.json(ctx, 201, Envelope.created(DevelopSessionJson.toJson(sessions, account, named.id(), created,
            RunsApi.baseUrl(ctx))));
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw Cluster.refused("create the develop session", e);
        }
        // kubectl made a session of that name: the next id gives another
      }
    }
    throw new ApiException(409, "Could not find a free name for the develop session; try again.");
  }

  /**
   * Asks the operator to stop the session's pod; the workspace volume stays, and the next request
   * through the session resumes it. Answers the session as it is: it shows stopped once the
   * operator has stopped the pod.
   */
  void stop(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    User user = RequestAuth.personalUser(ctx, DevelopSessions.WHAT);
    long id = sessionId(ctx);
    DbtDevelopSession session = sessions.own(account, user, id);
    Audit.object(ctx, Kind.DbtDevelopSession.name(), id);
    sessions.write(id, "stop the develop session", () -> sessions.activity.requestStop(session));
    DbtDevelopSession now = sessions.reread(session);
    ApiServer.json(ctx, 200, Envelope.success(DevelopSessionJson.toJson(sessions, account, id,
        now == null ? session : now, RunsApi.baseUrl(ctx))));
  }

  /**
   * Deletes the session: its pod, Service and token go with it. The user's workspace volume is
   * kept for their next session unless {@code delete_workspace=true}, which is written to the
   * spec first, since the operator reads it from the session as it is deleted.
   */
  void delete(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    User user = RequestAuth.personalUser(ctx, DevelopSessions.WHAT);
    long id = sessionId(ctx);
    boolean deleteWorkspace = deleteWorkspace(new QueryParams(ctx).string("delete_workspace"));
    DbtDevelopSession session = sessions.own(account, user, id);
    Audit.object(ctx, Kind.DbtDevelopSession.name(), id);
    var resource = services.cluster().resources(DbtDevelopSession.class).inNamespace(account.namespace())
        .withName(session.getMetadata().getName());
    if (deleteWorkspace) {
      session = sessions.write(id, "mark the workspace for deletion",
          () -> resource.patch(PatchContext.of(PatchType.JSON_MERGE), json(Map.of("spec",
              Map.of("deleteWorkspaceOnDelete", true)))));
    }
    sessions.write(id, "delete the develop session", () -> {
      resource.delete();
    });
    sessions.activity.forget(session);
    sessions.tokens.forget(session);
    Map<String, Object> json = DevelopSessionJson.toJson(sessions, account, id, session, RunsApi.baseUrl(ctx));
    json.put("state", "deleted");
    json.put("workspace_deleted", deleteWorkspace);
    ApiServer.json(ctx, 200, Envelope.success(json));
  }

  static long sessionId(Context ctx) {
    return PathIds.parse(ctx, "session_id", "develop session");
  }

  private static boolean deleteWorkspace(String value) {
    if (value == null) {
      return false;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "1" -> true;
      case "false", "0" -> false;
      default -> throw ApiException.badRequest("Query parameter 'delete_workspace' must be true or false, not '"
          + QueryParams.abbreviate(value) + "'.");
    };
  }

  /** A DNS label made from the username: "Jane.Doe@corp" becomes "jane-doe-corp". */
  private static String userPart(String username) {
    String slug = ResourceNames.slug(username, "user");
    slug = slug.length() <= MAX_USER_PART ? slug : slug.substring(0, MAX_USER_PART).replaceAll("-+$", "");
    return slug;
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
