package dev.dbtplatform.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbtplatform.api.ApiTestHarness;
import dev.dbtplatform.api.ApiTestHarness.Tenant;
import dev.dbtplatform.api.db.ObjectIds.Kind;
import dev.dbtplatform.crd.DbtJob;
import dev.dbtplatform.crd.DbtProject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The cluster's answers to writes, and the job JSON other endpoints embed. */
class AccountResourcesTest {
  static ApiTestHarness api;
  static ApiServices services;
  static Tenant me;

  @BeforeAll
  static void start() {
    api = ApiTestHarness.shared();
    services = new ApiServices(api.db(), api.kubernetes(), null, Clock.systemUTC());
    me = api.newAccount("Resources");
  }

  @Test
  void anUpdateOfAStaleCopyIs409() {
    long id = api.createProject(me, "Contested").get("id").asLong();
    var projects = new AccountResources<>(services, DbtProject.class, Kind.DbtProject, "project");
    var account = me.account();
    DbtProject mine = projects.get(account, id);
    DbtProject theirs = projects.get(account, id);
    theirs.getSpec().git.ref = "theirs";
    projects.update(theirs, id);

    mine.getSpec().git.ref = "mine";
    assertThatThrownBy(() -> projects.update(mine, id))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(409))
        .hasMessageContaining("changed by someone else");
    assertThat(projects.get(account, id).getSpec().git.ref).isEqualTo("theirs");
  }

  @Test
  void anUpdateOfADeletedObjectIs404() {
    long id = api.createProject(me, "Vanishing").get("id").asLong();
    var projects = new AccountResources<>(services, DbtProject.class, Kind.DbtProject, "project");
    DbtProject copy = projects.get(me.account(), id);
    api.kubernetes().resource(copy).delete();
    copy.getSpec().git.ref = "late";
    assertThatThrownBy(() -> projects.update(copy, id))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  void jobJsonFindsTheAccountsJobsOnly() {
    long project = api.createProject(me, "Embedded").get("id").asLong();
    long environment = api.createEnvironment(me, project, "Embedded prod").get("id").asLong();
    long job = api.createJob(me, environment, "Embedded job", "dbt run", "dbt test").get("id").asLong();

    Map<String, Object> json = JobJson.find(services, me.account(), job, "http://127.0.0.1").orElseThrow();
    assertThat(json).containsEntry("id", job).containsEntry("environment_id", environment)
        .containsEntry("project_id", project).containsEntry("name", "Embedded job")
        .containsEntry("execute_steps", List.of("dbt run", "dbt test"));
    assertThat(JobJson.find(services, api.other().account(), job, "http://127.0.0.1")).isEmpty();
    api.delete(me, me.v2() + "/jobs/" + job).expect(200);
    assertThat(JobJson.find(services, me.account(), job, "http://127.0.0.1")).isEmpty();
    assertThat(api.kubernetes().resources(DbtJob.class).inNamespace(me.namespace()).list().getItems()).isEmpty();
  }
}
