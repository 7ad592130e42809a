package dev.dbtplatform.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbtplatform.api.ApiTestHarness.Response;
import dev.dbtplatform.api.ApiTestHarness.Tenant;
import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.crd.DbtEnvironment;
import dev.dbtplatform.crd.DbtEnvironmentSpec;
import dev.dbtplatform.crd.DbtJob;
import dev.dbtplatform.crd.DbtJobSpec;
import dev.dbtplatform.crd.ObjectRef;
import dev.dbtplatform.crd.WarehouseConnection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** dbt Cloud's v3 environments, as DbtEnvironments under their project. */
class EnvironmentsApiTest {
  static ApiTestHarness api;
  static Tenant me;
  static Tenant them;
  static long project;
  static long otherProject;

  @BeforeAll
  static void start() {
    api = ApiTestHarness.shared();
    me = api.newAccount("Environments");
    them = api.newAccount("Environments, other");
    project = api.createProject(me, "Shop").get("id").asLong();
    otherProject = api.createProject(me, "Marketing").get("id").asLong();
  }

  @Test
  void createWritesTheCustomResource() {
    Map<String, Object> body = new HashMap<>();
    body.put("name", "Production");
    body.put("type", "deployment");
    body.put("dbt_version", "1.7.0-latest");
    body.put("deployment_type", "production");
    body.put("use_custom_branch", true);
    body.put("custom_branch", "release");
    body.put("credentials_id", null);
    body.put("warehouse", Map.of("type", "postgres", "secret_name", "shop-warehouse"));
    body.put("threads", 8);
    body.put("target_name", "prod");
    Response r = api.post(me, envs(project), body).expect(201);
    JsonNode e = r.data();
    long id = e.get("id").asLong();
    assertThat(e.get("account_id").asLong()).isEqualTo(me.id());
    assertThat(e.get("project_id").asLong()).isEqualTo(project);
    assertThat(e.get("name").asText()).isEqualTo("Production");
    assertThat(e.get("type").asText()).isEqualTo("deployment");
    assertThat(e.get("dbt_version").asText()).isEqualTo("1.7.0-latest");
    assertThat(e.get("deployment_type").asText()).isEqualTo("production");
    assertThat(e.get("custom_branch").asText()).isEqualTo("release");
    assertThat(e.get("use_custom_branch").asBoolean()).isTrue();
    assertThat(e.get("credentials_id").isNull()).isTrue();
    assertThat(e.get("state").asInt()).isEqualTo(1);
    assertThat(e.get("warehouse").get("type").asText()).isEqualTo("postgres");
    assertThat(e.get("warehouse").get("secret_name").asText()).isEqualTo("shop-warehouse");
    assertThat(e.get("threads").asInt()).isEqualTo(8);
    assertThat(e.get("target_name").asText()).isEqualTo("prod");
    assertThat(e.get("created_at").asText()).isNotBlank();

    DbtEnvironment cr = environment(me, "production");
    assertThat(cr.getSpec().projectRef.name).isEqualTo("shop");
    assertThat(cr.getSpec().type).isEqualTo(DbtEnvironmentSpec.Type.deployment);
    assertThat(cr.getSpec().dbtVersion).isEqualTo("1.7");
    assertThat(cr.getSpec().customBranch).isEqualTo("release");
    assertThat(cr.getSpec().warehouse.type).isEqualTo("postgres");
    assertThat(cr.getSpec().warehouse.secretRef.name).isEqualTo("shop-warehouse");
    assertThat(cr.getSpec().threads).isEqualTo(8);
    assertThat(cr.getSpec().targetName).isEqualTo("prod");
    assertThat(cr.getMetadata().getLabels())
        .containsEntry(ApiGroup.ACCOUNT_ID_LABEL, Long.toString(me.id()))
        .containsEntry(ApiGroup.PROJECT_ID_LABEL, Long.toString(project))
        .containsEntry(ApiGroup.ENVIRONMENT_ID_LABEL, Long.toString(id));
    assertThat(cr.getMetadata().getAnnotations())
        .containsEntry(ApiGroup.DISPLAY_NAME_ANNOTATION, "Production")
        .containsEntry(ApiGroup.DEPLOYMENT_TYPE_ANNOTATION, "production")
        .containsEntry(ApiGroup.REQUESTED_DBT_VERSION_ANNOTATION, "1.7.0-latest");
  }

  @Test
  void mapsDbtCloudVersionsToTheSpecs() {
    assertThat(specVersion("1.11")).isEqualTo("1.11");
    assertThat(specVersion("1.11.2")).isEqualTo("1.11.2");
    assertThat(specVersion("1.9.0-pre")).isEqualTo("1.9");
    assertThat(specVersion("versionless")).isNull();
    assertThat(specVersion("latest")).isNull();
    assertThat(specVersion(null)).isNull();
  }

  @Test
  void getsInItsProjectAndAccountWideButNotUnderAnotherProject() {
    long id = create(me, project, "Fetched env").get("id").asLong();
    for (String path : List.of(env(project, id), env(project, id) + "/", me.v3() + "/environments/" + id,
        me.v3() + "/environments/" + id + "/")) {
      for (String auth : List.of("Token " + me.token(), "Bearer " + me.token())) {
        Response r = api.send("GET", path, auth, null).expect(200);
        assertThat(r.data().get("id").asLong()).isEqualTo(id);
        assertThat(r.data().get("project_id").asLong()).isEqualTo(project);
      }
    }
    Response elsewhere = api.get(me, env(otherProject, id)).expectError(404, "Environment " + id + " was not found.");
    assertThat(elsewhere.raw()).doesNotContain("Fetched env");
    api.post(me, env(otherProject, id), Map.of("name", "moved")).expect(404);
    api.delete(me, env(otherProject, id)).expect(404);
    api.get(me, envs(otherProject + 100_000)).expectError(404, "Project");
    api.post(me, envs(otherProject + 100_000), minimal("Nowhere")).expectError(404, "Project");
  }

  @Test
  void listsByProjectAndAccountWideWithPagesAndFilters() {
    Tenant fresh = api.newAccount("Environment lists");
    long p1 = api.createProject(fresh, "One").get("id").asLong();
    long p2 = api.createProject(fresh, "Two").get("id").asLong();
    long a = create(fresh, p1, "Dev").get("id").asLong();
    long b = create(fresh, p1, "Prod").get("id").asLong();
    long c = create(fresh, p2, "Other prod").get("id").asLong();

    Response inP1 = api.get(fresh, fresh.v3() + "/projects/" + p1 + "/environments/").expect(200);
    assertThat(ids(inP1)).containsExactly(a, b);
    assertThat(inP1.totalCount()).isEqualTo(2);

    assertThat(ids(api.get(fresh, fresh.v3() + "/environments/").expect(200))).containsExactly(a, b, c);
    Response filtered = api.get(fresh, fresh.v3() + "/environments?project_id=" + p2).expect(200);
    assertThat(ids(filtered)).containsExactly(c);
    assertThat(filtered.body().at("/extra/filters/project_id").asLong()).isEqualTo(p2);

    Response page = api.get(fresh, fresh.v3() + "/environments/?limit=1&offset=1").expect(200);
    assertThat(ids(page)).containsExactly(b);
    assertThat(page.totalCount()).isEqualTo(3);
    assertThat(page.body().at("/extra/pagination/count").asInt()).isEqualTo(1);

    assertThat(ids(api.get(fresh, fresh.v3() + "/environments/?name__icontains=prod").expect(200))).containsExactly(b, c);
    assertThat(ids(api.get(fresh, fresh.v3() + "/environments/?dbt_version=1.7.0-latest").expect(200)))
        .containsExactly(a, b, c);
    assertThat(ids(api.get(fresh, fresh.v3() + "/environments/?dbt_version=1.6.0-latest").expect(200))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"limit=0", "limit=101", "offset=x", "project_id=abc"})
  void badListParametersAre400(String query) {
    api.get(me, me.v3() + "/environments/?" + query).expectError(400, query.substring(0, query.indexOf('=')));
    if (!query.startsWith("project_id")) {
      api.get(me, envs(project) + "?" + query).expectError(400, query.substring(0, query.indexOf('=')));
    }
  }

  @Test
  void updatesKeepWhatTheBodyLeavesOutAndFollowKubectlEdits() {
    long id = create(me, project, "Staging").get("id").asLong();
    String path = env(project, id);

    Response r = api.post(me, path, Map.of("dbt_version", "versionless", "deployment_type", "staging",
        "warehouse", Map.of("secret_name", "staging-warehouse"))).expect(200);
    assertThat(r.data().get("dbt_version").asText()).isEqualTo("versionless");
    assertThat(r.data().get("deployment_type").asText()).isEqualTo("staging");
    assertThat(r.data().at("/warehouse/type").asText()).isEqualTo("postgres");
    assertThat(r.data().at("/warehouse/secret_name").asText()).isEqualTo("staging-warehouse");
    assertThat(r.data().get("name").asText()).isEqualTo("Staging");
    assertThat(environment(me, "staging").getSpec().dbtVersion).isNull();

    Response branch = api.put(me, path + "/", Map.of("use_custom_branch", true, "custom_branch", "feature/x")).expect(200);
    assertThat(branch.data().get("custom_branch").asText()).isEqualTo("feature/x");
    Map<String, Object> off = new HashMap<>();
    off.put("use_custom_branch", false);
    off.put("custom_branch", null);
    off.put("deployment_type", null);
    Response noBranch = api.post(me, path, off).expect(200);
    assertThat(noBranch.data().get("custom_branch").isNull()).isTrue();
    assertThat(noBranch.data().get("use_custom_branch").asBoolean()).isFalse();
    assertThat(noBranch.data().get("deployment_type").isNull()).isTrue();

    // a kubectl edit of the version wins over what the API client once wrote
    DbtEnvironment cr = environment(me, "staging");
    cr.getSpec().dbtVersion = "1.10";
    api.kubernetes().resource(cr).update();
    assertThat(api.get(me, path).expect(200).data().get("dbt_version").asText()).isEqualTo("1.10");

    // posting back what was read changes nothing
    JsonNode read = api.get(me, path).expect(200).data();
    JsonNode again = api.post(me, path, read).expect(200).data();
    assertThat(again.get("dbt_version")).isEqualTo(read.get("dbt_version"));
    assertThat(again.get("warehouse")).isEqualTo(read.get("warehouse"));

    api.post(me, path, Map.of("project_id", otherProject)).expectError(400, "'project_id'");
    api.post(me, path, Map.of("id", id + 1)).expectError(400, "'id'");
  }

  @Test
  void deleteAnswersTheObjectAndIsRefusedWhileJobsUseIt() {
    long id = create(me, project, "Short lived").get("id").asLong();
    Response deleted = api.delete(me, env(project, id)).expect(200);
    assertThat(deleted.data().get("state").asInt()).isEqualTo(2);
    assertThat(deleted.data().get("name").asText()).isEqualTo("Short lived");
    assertThat(environment(me, "short-lived")).isNull();
    api.get(me, env(project, id)).expect(404);

    long used = create(me, project, "Used").get("id").asLong();
    DbtJob job = new DbtJob(me.namespace(), "nightly-on-used", new DbtJobSpec());
    job.getSpec().environmentRef = ObjectRef.named("used");
    job.getSpec().steps = List.of("dbt build");
    api.kubernetes().resource(job).create();
    api.delete(me, env(project, used)).expectError(409, "still used by jobs", "nightly-on-used");
    assertThat(environment(me, "used")).isNotNull();
  }

  @Test
  void anotherAccountsEnvironmentIsNotFoundAndInvisible() {
    long theirProject = api.createProject(them, "Theirs").get("id").asLong();
    long theirs = create(them, theirProject, "Their env").get("id").asLong();
    String path = me.v3() + "/projects/" + theirProject + "/environments/" + theirs;
    api.get(me, path).expect(404);
    api.post(me, path, Map.of("name", "x")).expect(404);
    api.delete(me, path).expect(404);
    api.get(me, me.v3() + "/environments/" + theirs).expectError(404, "Environment " + theirs + " was not found.");
    assertThat(api.get(me, me.v3() + "/environments/").raw()).doesNotContain("Their env");
    api.get(me, them.v3() + "/environments/").expect(404);
    assertThat(environment(them, "their-env")).isNotNull();
  }

  @Test
  void badBodiesAre400NamingTheField() {
    String path = envs(project);
    api.post(me, path, "{not json").expectError(400, "not valid JSON");
    api.post(me, path, Map.of("type", "deployment")).expectError(400, "'name'", "required");
    api.post(me, path, Map.of("name", "No warehouse")).expectError(400, "warehouse.type", "warehouse.secret_name");
    api.post(me, path, with(minimal("x"), "warehouse", Map.of("type", "postgres"))).expectError(400, "'warehouse.secret_name'");
    api.post(me, path, with(minimal("x"), "warehouse", Map.of("type", "Postgres!", "secret_name", "s")))
        .expectError(400, "'warehouse.type'");
    api.post(me, path, with(minimal("x"), "warehouse", "postgres")).expectError(400, "'warehouse'", "object");
    api.post(me, path, with(minimal("x"), "type", "production")).expectError(400, "'type'");
    api.post(me, path, with(minimal("x"), "dbt_version", "one point seven")).expectError(400, "'dbt_version'");
    api.post(me, path, with(minimal("x"), "deployment_type", "qa")).expectError(400, "'deployment_type'");
    api.post(me, path, with(minimal("x"), "threads", 65)).expectError(400, "'threads'");
    api.post(me, path, with(minimal("x"), "threads", "many")).expectError(400, "'threads'");
    api.post(me, path, with(minimal("x"), "target_name", "has space")).expectError(400, "'target_name'");
    api.post(me, path, with(minimal("x"), "use_custom_branch", true)).expectError(400, "'custom_branch'");
    api.post(me, path, with(minimal("x"), "project_id", otherProject)).expectError(400, "'project_id'");
    assertThat(environment(me, "x")).isNull();
  }

  @Test
  void environmentsMadeWithKubectlAreListedWithIds() {
    Tenant fresh = api.newAccount("GitOps environments");
    long p = api.createProject(fresh, "Git project").get("id").asLong();
    DbtEnvironment env = new DbtEnvironment();
    env.getMetadata().setName("from-git");
    env.getMetadata().setNamespace(fresh.namespace());
    env.setSpec(new DbtEnvironmentSpec());
    env.getSpec().projectRef = ObjectRef.named("git-project");
    env.getSpec().warehouse = new WarehouseConnection("duckdb", "duck");
    env.getSpec().dbtVersion = "1.8";
    api.kubernetes().resource(env).create();

    Response list = api.get(fresh, fresh.v3() + "/projects/" + p + "/environments").expect(200);
    assertThat(list.data()).hasSize(1);
    JsonNode e = list.data().get(0);
    assertThat(e.get("id").asLong()).isPositive();
    assertThat(e.get("name").asText()).isEqualTo("from-git");
    assertThat(e.get("project_id").asLong()).isEqualTo(p);
    assertThat(e.get("dbt_version").asText()).isEqualTo("1.8");
    assertThat(e.get("threads").asInt()).isEqualTo(4);
    assertThat(e.at("/warehouse/type").asText()).isEqualTo("duckdb");
  }

  private static String specVersion(String dbtVersion) {
    Map<String, Object> body = minimal("Version " + dbtVersion);
    body.put("dbt_version", dbtVersion);
    long id = api.post(me, envs(project), body).expect(201).data().get("id").asLong();
    String name = api.kubernetes().resources(DbtEnvironment.class).inNamespace(me.namespace()).list().getItems().stream()
        .filter(e -> Long.toString(id).equals(e.getMetadata().getLabels().get(ApiGroup.ENVIRONMENT_ID_LABEL)))
        .findFirst().orElseThrow().getMetadata().getName();
    return environment(me, name).getSpec().dbtVersion;
  }

  private static JsonNode create(Tenant as, long projectId, String name) {
    return api.createEnvironment(as, projectId, name);
  }

  private static Map<String, Object> minimal(String name) {
    Map<String, Object> body = new HashMap<>();
    body.put("name", name);
    body.put("type", "deployment");
    body.put("warehouse", Map.of("type", "postgres", "secret_name", "warehouse"));
    return body;
  }

  private static Map<String, Object> with(Map<String, Object> body, String field, Object value) {
    body.put(field, value);
    return body;
  }

  private static String envs(long projectId) {
    return me.v3() + "/projects/" + projectId + "/environments/";
  }

  private static String env(long projectId, long id) {
    return me.v3() + "/projects/" + projectId + "/environments/" + id;
  }

  private static DbtEnvironment environment(Tenant as, String name) {
    return api.kubernetes().resources(DbtEnvironment.class).inNamespace(as.namespace()).withName(name).get();
  }

  private static List<Long> ids(Response r) {
    List<Long> ids = new ArrayList<>();
    r.data().forEach(e -> ids.add(e.get("id").asLong()));
    return ids;
  }
}
