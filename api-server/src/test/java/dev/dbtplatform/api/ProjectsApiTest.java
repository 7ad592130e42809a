package dev.dbtplatform.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbtplatform.api.ApiTestHarness.Response;
import dev.dbtplatform.api.ApiTestHarness.Tenant;
import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.crd.DbtEnvironment;
import dev.dbtplatform.crd.DbtEnvironmentSpec;
import dev.dbtplatform.crd.DbtProject;
import dev.dbtplatform.crd.DbtProjectSpec;
import dev.dbtplatform.crd.GitSource;
import dev.dbtplatform.crd.ObjectRef;
import dev.dbtplatform.crd.WarehouseConnection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** dbt Cloud's v3 projects, as DbtProjects in the account's namespace. */
class ProjectsApiTest {
  static ApiTestHarness api;
  static Tenant me;
  static Tenant them;

  @BeforeAll
  static void start() {
    api = ApiTestHarness.shared();
    me = api.newAccount("Projects");
    them = api.newAccount("Projects, other");
  }

  @Test
  void createWritesTheCustomResourceWithLabelsAndAnnotations() {
    Response r = api.post(me, me.v3() + "/projects/", Map.of(
        "name", "Analytics Core", "description", "The warehouse models",
        "dbt_project_subdirectory", "/transform/", "git_url", "https://github.com/acme/analytics.git",
        "git_ref", "main", "git_credentials_secret", "git-https")).expect(201);
    JsonNode p = r.data();
    long id = p.get("id").asLong();
    assertThat(id).isPositive();
    assertThat(p.get("account_id").asLong()).isEqualTo(me.id());
    assertThat(p.get("name").asText()).isEqualTo("Analytics Core");
    assertThat(p.get("description").asText()).isEqualTo("The warehouse models");
    assertThat(p.get("dbt_project_subdirectory").asText()).isEqualTo("transform");
    assertThat(p.get("connection_id").isNull()).isTrue();
    assertThat(p.get("repository_id").isNull()).isTrue();
    assertThat(p.get("state").asInt()).isEqualTo(1);
    assertThat(p.get("git_url").asText()).isEqualTo("https://github.com/acme/analytics.git");
    assertThat(p.get("git_ref").asText()).isEqualTo("main");
    assertThat(p.get("git_credentials_secret").asText()).isEqualTo("git-https");
    assertThat(p.get("repository").get("remote_url").asText()).isEqualTo("https://github.com/acme/analytics.git");
    assertThat(p.get("repository").get("git_clone_strategy").asText()).isEqualTo("git_token");
    assertThat(p.get("repository").get("branch").asText()).isEqualTo("main");
    assertThat(p.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00");
    assertThat(p.get("updated_at").asText()).isNotBlank();

    DbtProject cr = project(me, "analytics-core");
    assertThat(cr.getMetadata().getLabels())
        .containsEntry(ApiGroup.ACCOUNT_ID_LABEL, Long.toString(me.id()))
        .containsEntry(ApiGroup.PROJECT_ID_LABEL, Long.toString(id));
    assertThat(cr.getMetadata().getAnnotations())
        .containsEntry(ApiGroup.DISPLAY_NAME_ANNOTATION, "Analytics Core")
        .containsEntry(ApiGroup.DESCRIPTION_ANNOTATION, "The warehouse models");
    GitSource git = cr.getSpec().git;
    assertThat(git.url).isEqualTo("https://github.com/acme/analytics.git");
    assertThat(git.ref).isEqualTo("main");
    assertThat(git.subdirectory).isEqualTo("transform");
    assertThat(git.credentialsSecretRef.name).isEqualTo("git-https");
  }

  @Test
  void acceptsDbtCloudsNestedRepositoryAndAProjectWithoutOne() {
    Response nested = api.post(me, me.v3() + "/projects", Map.of(
        "name", "Nested repo", "repository", Map.of("remote_url", "git@github.com:acme/nested.git"))).expect(201);
    assertThat(nested.data().get("git_url").asText()).isEqualTo("git@github.com:acme/nested.git");
    assertThat(nested.data().at("/repository/git_clone_strategy").asText()).isEqualTo("deploy_key");
    assertThat(project(me, "nested-repo").getSpec().git.url).isEqualTo("git@github.com:acme/nested.git");

    // Terraform creates the project first and its repository after: the CRD does not require a URL
    Response bare = api.post(me, me.v3() + "/projects", Map.of("name", "No repo yet", "dbt_project_subdirectory", ""))
        .expect(201);
    assertThat(bare.data().get("repository").isNull()).isTrue();
    assertThat(bare.data().get("git_url").isNull()).isTrue();
    assertThat(bare.data().get("dbt_project_subdirectory").isNull()).isTrue();
    assertThat(project(me, "no-repo-yet").getSpec().git).isNotNull();
  }

  @Test
  void getsWithAndWithoutTrailingSlashWithTokenOrBearer() {
    long id = create(me, "Fetched").get("id").asLong();
    String path = me.v3() + "/projects/" + id;
    for (String p : List.of(path, path + "/")) {
      for (String auth : List.of("Token " + me.token(), "Bearer " + me.token())) {
        Response r = api.send("GET", p, auth, null).expect(200);
        assertThat(r.data().get("id").asLong()).isEqualTo(id);
        assertThat(r.data().get("name").asText()).isEqualTo("Fetched");
      }
    }
  }

  @Test
  void listsPagesWithCountsAndFilters() {
    Tenant fresh = api.newAccount("Project lists");
    long a = create(fresh, "Alpha").get("id").asLong();
    long b = create(fresh, "Beta").get("id").asLong();
    long c = create(fresh, "Alphabet").get("id").asLong();

    Response all = api.get(fresh, fresh.v3() + "/projects/").expect(200);
    assertThat(ids(all)).containsExactly(a, b, c);
    assertThat(all.totalCount()).isEqualTo(3);
    assertThat(all.body().at("/extra/pagination/count").asInt()).isEqualTo(3);

    Response first = api.get(fresh, fresh.v3() + "/projects/?limit=2").expect(200);
    assertThat(ids(first)).containsExactly(a, b);
    assertThat(first.totalCount()).isEqualTo(3);
    assertThat(first.body().at("/extra/filters/limit").asInt()).isEqualTo(2);
    Response second = api.get(fresh, fresh.v3() + "/projects/?limit=2&offset=2").expect(200);
    assertThat(ids(second)).containsExactly(c);
    assertThat(second.body().at("/extra/pagination/count").asInt()).isEqualTo(1);
    assertThat(ids(api.get(fresh, fresh.v3() + "/projects/?offset=10").expect(200))).isEmpty();

    Response named = api.get(fresh, fresh.v3() + "/projects/?name__icontains=ALPHA").expect(200);
    assertThat(ids(named)).containsExactly(a, c);
    assertThat(named.totalCount()).isEqualTo(2);
    assertThat(ids(api.get(fresh, fresh.v3() + "/projects/?state=1").expect(200))).hasSize(3);
    assertThat(ids(api.get(fresh, fresh.v3() + "/projects/?state=2").expect(200))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"limit=0", "limit=101", "limit=abc", "offset=-1", "state=5"})
  void badListParametersAre400(String query) {
    api.get(me, me.v3() + "/projects/?" + query).expectError(400, query.substring(0, query.indexOf('=')));
  }

  @Test
  void updatesWithPostOrPutKeepingWhatTheBodyLeavesOut() {
    JsonNode created = api.post(me, me.v3() + "/projects/", Map.of("name", "Before", "description", "old",
        "git_url", "https://git.example.com/before.git", "git_ref", "v1", "dbt_project_subdirectory", "dbt"))
        .expect(201).data();
    long id = created.get("id").asLong();
    String path = me.v3() + "/projects/" + id + "/";

    Response renamed = api.post(me, path, Map.of("name", "After", "git_ref", "v2")).expect(200);
    assertThat(renamed.data().get("name").asText()).isEqualTo("After");
    assertThat(renamed.data().get("git_ref").asText()).isEqualTo("v2");
    assertThat(renamed.data().get("description").asText()).isEqualTo("old");
    assertThat(renamed.data().get("git_url").asText()).isEqualTo("https://git.example.com/before.git");

    Map<String, Object> clear = new HashMap<>();
    clear.put("id", id);
    clear.put("description", null);
    clear.put("dbt_project_subdirectory", "");
    clear.put("repository", null); // what clients echo back: changes nothing
    Response cleared = api.put(me, path, clear).expect(200);
    assertThat(cleared.data().get("description").isNull()).isTrue();
    assertThat(cleared.data().get("dbt_project_subdirectory").isNull()).isTrue();
    assertThat(cleared.data().get("git_url").asText()).isEqualTo("https://git.example.com/before.git");

    DbtProject cr = project(me, "before");
    assertThat(cr.getMetadata().getAnnotations()).containsEntry(ApiGroup.DISPLAY_NAME_ANNOTATION, "After")
        .doesNotContainKey(ApiGroup.DESCRIPTION_ANNOTATION);
    assertThat(cr.getSpec().git.ref).isEqualTo("v2");
    assertThat(cr.getSpec().git.subdirectory).isNull();

    // a client posting back what it read changes nothing
    JsonNode read = api.get(me, path).expect(200).data();
    assertThat(api.post(me, path, read).expect(200).data().get("git_url")).isEqualTo(read.get("git_url"));

    api.post(me, path, Map.of("id", id + 1, "name", "x")).expectError(400, "'id'");
    api.post(me, path, Map.of("account_id", them.id())).expectError(400, "'account_id'");
  }

  @Test
  void deleteAnswersTheDeletedObjectAndRemovesTheResource() {
    long id = create(me, "Doomed").get("id").asLong();
    Response deleted = api.delete(me, me.v3() + "/projects/" + id).expect(200);
    assertThat(deleted.data().get("id").asLong()).isEqualTo(id);
    assertThat(deleted.data().get("name").asText()).isEqualTo("Doomed");
    assertThat(deleted.data().get("state").asInt()).isEqualTo(2);
    assertThat(api.kubernetes().resources(DbtProject.class).inNamespace(me.namespace()).withName("doomed").get()).isNull();
    api.get(me, me.v3() + "/projects/" + id).expectError(404, "Project " + id + " was not found.");
    api.delete(me, me.v3() + "/projects/" + id).expect(404);

    // the name is free again, but the new project gets an id of its own
    long again = create(me, "Doomed").get("id").asLong();
    assertThat(again).isNotEqualTo(id);
  }

  @Test
  void deleteIsRefusedWhileEnvironmentsUseTheProject() {
    long id = create(me, "In use").get("id").asLong();
    DbtEnvironment env = new DbtEnvironment();
    env.getMetadata().setName("in-use-prod");
    env.getMetadata().setNamespace(me.namespace());
    env.setSpec(new DbtEnvironmentSpec());
    env.getSpec().projectRef = ObjectRef.named("in-use");
    env.getSpec().warehouse = new WarehouseConnection("postgres", "wh");
    api.kubernetes().resource(env).create();

    api.delete(me, me.v3() + "/projects/" + id).expectError(409, "still has environments", "in-use-prod");
    assertThat(project(me, "in-use")).isNotNull();
  }

  @Test
  void anotherAccountsProjectIsNotFoundAndInvisible() {
    long theirs = create(them, "Their secret project").get("id").asLong();
    long missing = theirs + 100_000;
    String path = me.v3() + "/projects/" + theirs;
    Response get = api.get(me, path).expect(404);
    assertThat(get.raw().replace(Long.toString(theirs), "ID"))
        .isEqualTo(api.get(me, me.v3() + "/projects/" + missing).expect(404).raw().replace(Long.toString(missing), "ID"));
    api.post(me, path, Map.of("name", "Mine now")).expect(404);
    api.put(me, path, Map.of("name", "Mine now")).expect(404);
    api.delete(me, path).expect(404);
    assertThat(api.get(me, me.v3() + "/projects/").raw()).doesNotContain("Their secret project");
    // and the path's account must be the token's
    api.get(me, them.v3() + "/projects/").expectError(404, "Account " + them.id());
    api.post(me, them.v3() + "/projects/", Map.of("name", "Planted")).expect(404);
    assertThat(project(them, "their-secret-project").getMetadata().getAnnotations())
        .containsEntry(ApiGroup.DISPLAY_NAME_ANNOTATION, "Their secret project");
  }

  @Test
  void badBodiesAre400NamingTheField() {
    String path = me.v3() + "/projects/";
    api.post(me, path, "{\"name\": ").expectError(400, "not valid JSON");
    api.post(me, path, "[1, 2]").expectError(400, "JSON object");
    api.post(me, path, Map.of("description", "no name")).expectError(400, "'name'", "required");
    api.post(me, path, Map.of("name", "  ")).expectError(400, "'name'");
    api.post(me, path, Map.of("name", 42)).expectError(400, "'name'", "string");
    api.post(me, path, Map.of("name", "x", "git_url", "ftp://example.com/repo")).expectError(400, "'git_url'");
    api.post(me, path, Map.of("name", "x", "repository", Map.of("remote_url", 7))).expectError(400, "'repository.remote_url'");
    api.post(me, path, Map.of("name", "x", "git_credentials_secret", "Not A Name")).expectError(400, "'git_credentials_secret'");
    api.post(me, path, Map.of("name", "x", "dbt_project_subdirectory", "../elsewhere")).expectError(400, "'dbt_project_subdirectory'");
    api.post(me, path, Map.of("name", "x", "git_url", "https://a/b.git", "repository", Map.of("remote_url", "https://c/d.git")))
        .expectError(400, "different repositories");
    api.post(me, path, Map.of("name", "x", "id", 5)).expectError(400, "'id'");
    api.get(me, path + "abc").expectError(400, "project id");
    assertThat(project(me, "x")).isNull();
  }

  @Test
  void projectsMadeWithKubectlAreListedWithAnId() {
    Tenant fresh = api.newAccount("GitOps projects");
    DbtProject gitops = new DbtProject();
    gitops.getMetadata().setName("from-git");
    gitops.getMetadata().setNamespace(fresh.namespace());
    gitops.setSpec(new DbtProjectSpec());
    gitops.getSpec().git = new GitSource();
    gitops.getSpec().git.url = "https://git.example.com/gitops.git";
    api.kubernetes().resource(gitops).create();

    Response list = api.get(fresh, fresh.v3() + "/projects").expect(200);
    assertThat(list.data()).hasSize(1);
    JsonNode p = list.data().get(0);
    long id = p.get("id").asLong();
    assertThat(id).isPositive();
    assertThat(p.get("name").asText()).isEqualTo("from-git");
    assertThat(p.get("git_url").asText()).isEqualTo("https://git.example.com/gitops.git");
    // the id stays
    assertThat(api.get(fresh, fresh.v3() + "/projects").data().get(0).get("id").asLong()).isEqualTo(id);
    assertThat(api.get(fresh, fresh.v3() + "/projects/" + id).expect(200).data().get("name").asText()).isEqualTo("from-git");
  }

  @Test
  void namesAreSlugsAndTakenNamesGetASuffix() {
    create(me, "Same Name");
    create(me, "same name!");
    assertThat(project(me, "same-name")).isNotNull();
    assertThat(project(me, "same-name-2").getMetadata().getAnnotations())
        .containsEntry(ApiGroup.DISPLAY_NAME_ANNOTATION, "same name!");
    create(me, "Ünïcödé & Friends");
    assertThat(project(me, "unicode-friends")).isNotNull();
    create(me, "???");
    assertThat(project(me, "project")).isNotNull();
  }

  private static JsonNode create(Tenant as, String name) {
    return api.createProject(as, name);
  }

  private static DbtProject project(Tenant as, String name) {
    return api.kubernetes().resources(DbtProject.class).inNamespace(as.namespace()).withName(name).get();
  }

  private static List<Long> ids(Response r) {
    List<Long> ids = new java.util.ArrayList<>();
    r.data().forEach(p -> ids.add(p.get("id").asLong()));
    return ids;
  }
}
