package dev.dbtplatform.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbtplatform.api.ApiTestHarness.Response;
import dev.dbtplatform.api.ApiTestHarness.Tenant;
import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.crd.DbtJob;
import dev.dbtplatform.crd.DbtJobSpec;
import dev.dbtplatform.crd.DbtJobStatus;
import dev.dbtplatform.crd.JobCompletionStatus;
import dev.dbtplatform.crd.JobSchedule;
import dev.dbtplatform.crd.JobTriggers;
import dev.dbtplatform.crd.ObjectRef;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** dbt Cloud's v2 job definitions, as DbtJobs. */
class JobsApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static ApiTestHarness api;
  static Tenant me;
  static Tenant them;
  static long shop;
  static long shopProd;
  static long shopStaging;
  static long marketing;
  static long marketingProd;
  static long development;
  static long theirEnvironment;
  static long theirJob;

  @BeforeAll
  static void start() {
    api = ApiTestHarness.shared();
    me = api.newAccount("Jobs");
    them = api.newAccount("Jobs, other");
    shop = api.createProject(me, "Shop").get("id").asLong();
    shopProd = api.createEnvironment(me, shop, "Shop prod").get("id").asLong();
    shopStaging = api.createEnvironment(me, shop, "Shop staging").get("id").asLong();
    marketing = api.createProject(me, "Marketing").get("id").asLong();
    marketingProd = api.createEnvironment(me, marketing, "Marketing prod").get("id").asLong();
    development = api.post(me, me.v3() + "/projects/" + shop + "/environments/", Map.of("name", "Shop dev",
        "type", "development", "warehouse", Map.of("type", "postgres", "secret_name", "dev"))).expect(201).data()
        .get("id").asLong();
    long theirProject = api.createProject(them, "Theirs").get("id").asLong();
    theirEnvironment = api.createEnvironment(them, theirProject, "Their prod").get("id").asLong();
    theirJob = api.createJob(them, theirEnvironment, "Their job").get("id").asLong();
  }

  @Test
  void createWritesTheCustomResourceFromAFullDbtCloudJob() {
    Map<String, Object> body = nightly("Nightly build");
    Response r = api.post(me, me.v2() + "/jobs/", body).expect(201);
    JsonNode j = r.data();
    long id = j.get("id").asLong();
    assertThat(j.get("account_id").asLong()).isEqualTo(me.id());
    assertThat(j.get("project_id").asLong()).isEqualTo(shop);
    assertThat(j.get("environment_id").asLong()).isEqualTo(shopProd);
    assertThat(j.get("name").asText()).isEqualTo("Nightly build");
    assertThat(j.get("description").asText()).isEqualTo("Everything, every night");
    assertThat(j.get("dbt_version").isNull()).isTrue();
    assertThat(j.get("execute_steps")).extracting(JsonNode::asText).containsExactly("dbt seed", "dbt build --select tag:nightly");
    assertThat(j.at("/triggers/schedule").asBoolean()).isTrue();
    assertThat(j.at("/triggers/github_webhook").asBoolean()).isFalse();
    assertThat(j.at("/triggers/git_provider_webhook").asBoolean()).isFalse();
    assertThat(j.at("/triggers/on_merge").asBoolean()).isFalse();
    assertThat(j.at("/settings/threads").asInt()).isEqualTo(8);
    assertThat(j.at("/settings/target_name").asText()).isEqualTo("prod");
    assertThat(j.get("state").asInt()).isEqualTo(1);
    assertThat(j.get("generate_docs").asBoolean()).isTrue();
    assertThat(j.get("run_generate_sources").asBoolean()).isTrue();
    assertThat(j.at("/schedule/cron").asText()).isEqualTo("0 2 * * *");
    assertThat(j.at("/schedule/date/type").asText()).isEqualTo("custom_cron");
    assertThat(j.at("/schedule/date/cron").asText()).isEqualTo("0 2 * * *");
    assertThat(j.at("/schedule/time/type").asText()).isEqualTo("every_hour");
    assertThat(j.get("job_type").asText()).isEqualTo("scheduled");
    assertThat(j.get("triggers_on_draft_pr").asBoolean()).isFalse();
    assertThat(j.get("job_completion_trigger_condition").isNull()).isTrue();
    assertThat(j.get("deferring_job_definition_id").isNull()).isTrue();
    assertThat(j.get("deferring_environment_id").asLong()).isEqualTo(shopStaging);
    assertThat(j.at("/execution/timeout_seconds").asLong()).isEqualTo(3600);
    assertThat(j.get("created_at").asText()).isNotBlank();
    assertThat(j.get("updated_at").asText()).isNotBlank();
    assertThat(j.has("next_run")).isTrue();
    assertThat(j.has("next_run_humanized")).isTrue();
    assertThat(j.get("most_recent_run").isNull()).isTrue();
    assertThat(j.get("most_recent_completed_run").isNull()).isTrue();

    DbtJob cr = job("nightly-build");
    DbtJobSpec spec = cr.getSpec();
    assertThat(spec.environmentRef.name).isEqualTo("shop-prod");
    assertThat(spec.steps).containsExactly("dbt seed", "dbt build --select tag:nightly");
    assertThat(spec.threads).isEqualTo(8);
    assertThat(spec.targetName).isEqualTo("prod");
    assertThat(spec.timeoutSeconds).isEqualTo(3600L);
    assertThat(spec.generateDocs).isTrue();
    assertThat(spec.runGenerateSources).isTrue();
    assertThat(spec.suspend).isFalse();
    assertThat(spec.triggers.schedule.cron).isEqualTo("0 2 * * *");
    assertThat(spec.triggers.api).isTrue();
    assertThat(spec.triggers.onJobCompletion).isNull();
    assertThat(spec.deferral.environmentRef.name).isEqualTo("shop-staging");
    assertThat(spec.deferral.jobRef).isNull();
    assertThat(cr.getMetadata().getLabels())
        .containsEntry(ApiGroup.ACCOUNT_ID_LABEL, Long.toString(me.id()))
        .containsEntry(ApiGroup.JOB_ID_LABEL, Long.toString(id))
        .containsEntry(ApiGroup.ENVIRONMENT_ID_LABEL, Long.toString(shopProd))
        .containsEntry(ApiGroup.PROJECT_ID_LABEL, Long.toString(shop));
    assertThat(cr.getMetadata().getAnnotations())
        .containsEntry(ApiGroup.DISPLAY_NAME_ANNOTATION, "Nightly build")
        .containsEntry(ApiGroup.DESCRIPTION_ANNOTATION, "Everything, every night");
  }

  @Test
  void turnsDbtCloudsDayAndHourSchedulesIntoCron() {
    assertThat(cronOf(Map.of("cron", "", "date", Map.of("type", "days_of_week", "days", List.of(5, 1, 3, 7)),
        "time", Map.of("type", "at_exact_hours", "hours", List.of(15, 3))))).isEqualTo("0 3,15 * * 0,1,3,5");
    assertThat(cronOf(Map.of("date", Map.of("type", "every_day"), "time", Map.of("type", "every_hour", "interval", 2))))
        .isEqualTo("0 */2 * * *");
    assertThat(cronOf(Map.of("date", Map.of("type", "every_day")))).isEqualTo("0 * * * *");
    assertThat(cronOf(Map.of("date", Map.of("type", "custom_cron", "cron", "30 4 1 * MON-FRI")))).isEqualTo("30 4 1 * MON-FRI");
  }

  @Test
  void aJobWithoutScheduleAsDbtCloudCliSendsIt() {
    Map<String, Object> body = new HashMap<>();
    body.put("id", null);
    body.put("project_id", shop);
    body.put("environment_id", shopProd);
    body.put("name", "On demand");
    body.put("execute_steps", List.of("dbt run"));
    body.put("dbt_version", null);
    body.put("triggers", Map.of("github_webhook", false, "schedule", false, "custom_branch_only", false));
    body.put("settings", Map.of("threads", 1, "target_name", "default"));
    body.put("state", 1);
    body.put("generate_docs", false);
    body.put("schedule", Map.of("cron", "0 * * * *", "date", Map.of("type", "every_day"),
        "time", Map.of("type", "every_hour", "interval", 1)));
    JsonNode j = api.post(me, me.v2() + "/jobs", body).expect(201).data();
    assertThat(j.at("/triggers/schedule").asBoolean()).isFalse();
    assertThat(j.get("job_type").asText()).isEqualTo("other");
    assertThat(j.at("/schedule/cron").isNull()).isTrue();
    assertThat(j.get("next_run").isNull()).isTrue();
    assertThat(j.at("/settings/threads").asInt()).isEqualTo(1);
    // "default" is what the environment gives anyway: the job keeps following it
    assertThat(job("on-demand").getSpec().targetName).isNull();
    assertThat(job("on-demand").getSpec().threads).isEqualTo(1);
    assertThat(job("on-demand").getSpec().triggers == null || job("on-demand").getSpec().triggers.schedule == null).isTrue();
  }

  @Test
  void getsWithAndWithoutTrailingSlashWithTokenOrBearer() {
    long id = api.createJob(me, shopProd, "Fetched job").get("id").asLong();
    String path = me.v2() + "/jobs/" + id;
    for (String p : List.of(path, path + "/")) {
      for (String auth : List.of("Token " + me.token(), "Bearer " + me.token())) {
        JsonNode j = api.send("GET", p, auth, null).expect(200).data();
        assertThat(j.get("id").asLong()).isEqualTo(id);
        assertThat(j.get("name").asText()).isEqualTo("Fetched job");
        // inherited from the environment, which sets none: the CRD's defaults
        assertThat(j.at("/settings/threads").asInt()).isEqualTo(4);
        assertThat(j.at("/settings/target_name").asText()).isEqualTo("default");
      }
    }
  }

  @Test
  void listsWithEveryFilterOrderAndPage() {
    Tenant fresh = api.newAccount("Job lists");
    long p1 = api.createProject(fresh, "P1").get("id").asLong();
    long e1 = api.createEnvironment(fresh, p1, "E1").get("id").asLong();
    long e2 = api.createEnvironment(fresh, p1, "E2").get("id").asLong();
    long p2 = api.createProject(fresh, "P2").get("id").asLong();
    long e3 = api.createEnvironment(fresh, p2, "E3").get("id").asLong();
    long charlie = api.createJob(fresh, e1, "charlie").get("id").asLong();
    long alpha = api.createJob(fresh, e2, "Alpha").get("id").asLong();
    long bravo = api.createJob(fresh, e3, "bravo daily").get("id").asLong();
    api.post(fresh, fresh.v2() + "/jobs/" + bravo, Map.of("state", 2)).expect(200);
    String jobs = fresh.v2() + "/jobs/";

    Response all = api.get(fresh, jobs).expect(200);
    assertThat(ids(all)).containsExactly(charlie, alpha, bravo);
    assertThat(all.totalCount()).isEqualTo(3);
    assertThat(all.body().at("/extra/order_by").asText()).isEqualTo("id");

    assertThat(ids(api.get(fresh, jobs + "?project_id=" + p1).expect(200))).containsExactly(charlie, alpha);
    assertThat(ids(api.get(fresh, jobs + "?project_id=" + p2).expect(200))).containsExactly(bravo);
    assertThat(ids(api.get(fresh, jobs + "?environment_id=" + e2).expect(200))).containsExactly(alpha);
    assertThat(ids(api.get(fresh, jobs + "?project_id=" + p1 + "&environment_id=" + e3).expect(200))).isEmpty();
    assertThat(ids(api.get(fresh, jobs + "?name__icontains=A").expect(200))).containsExactly(charlie, alpha, bravo);
    assertThat(ids(api.get(fresh, jobs + "?name__icontains=daily").expect(200))).containsExactly(bravo);
    assertThat(ids(api.get(fresh, jobs + "?state=2").expect(200))).containsExactly(bravo);
    assertThat(ids(api.get(fresh, jobs + "?state=1").expect(200))).containsExactly(charlie, alpha);

    assertThat(ids(api.get(fresh, jobs + "?order_by=name").expect(200))).containsExactly(alpha, bravo, charlie);
    Response byNameDesc = api.get(fresh, jobs + "?order_by=-name").expect(200);
    assertThat(ids(byNameDesc)).containsExactly(charlie, bravo, alpha);
    assertThat(byNameDesc.body().at("/extra/order_by").asText()).isEqualTo("-name");
    assertThat(ids(api.get(fresh, jobs + "?order_by=-id").expect(200))).containsExactly(bravo, alpha, charlie);
    assertThat(ids(api.get(fresh, jobs + "?order_by=created_at").expect(200))).containsExactly(charlie, alpha, bravo);
    assertThat(ids(api.get(fresh, jobs + "?order_by=-created_at").expect(200))).containsExactly(bravo, alpha, charlie);

    Response page1 = api.get(fresh, jobs + "?order_by=name&limit=2").expect(200);
    assertThat(ids(page1)).containsExactly(alpha, bravo);
    assertThat(page1.totalCount()).isEqualTo(3);
    assertThat(page1.body().at("/extra/pagination/count").asInt()).isEqualTo(2);
    Response page2 = api.get(fresh, jobs + "?order_by=name&limit=2&offset=2").expect(200);
    assertThat(ids(page2)).containsExactly(charlie);
    assertThat(page2.body().at("/extra/filters/offset").asInt()).isEqualTo(2);
    Response filteredPage = api.get(fresh, jobs + "?project_id=" + p1 + "&limit=1&offset=1").expect(200);
    assertThat(ids(filteredPage)).containsExactly(alpha);
    assertThat(filteredPage.totalCount()).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"limit=0", "limit=101", "offset=-3", "order_by=finished_at", "order_by=-", "project_id=x",
      "environment_id=1.5", "state=0"})
  void badListParametersAre400(String query) {
    api.get(me, me.v2() + "/jobs/?" + query).expectError(400, query.substring(0, query.indexOf('=')));
  }

  @Test
  void updatesWithTheWholeObjectPostedBack() throws Exception {
    JsonNode created = api.post(me, me.v2() + "/jobs/", nightly("Round trip")).expect(201).data();
    long id = created.get("id").asLong();
    String path = me.v2() + "/jobs/" + id + "/";

    ObjectNode edited = (ObjectNode) api.get(me, path).expect(200).data().deepCopy();
    edited.put("name", "Round trip, renamed");
    edited.putArray("execute_steps").add("dbt build");
    edited.put("environment_id", marketingProd);
    edited.put("project_id", marketing);
    edited.putNull("deferring_environment_id");
    edited.put("state", 2);
    ((ObjectNode) edited.get("schedule")).put("cron", "15 3 * * *");
    ((ObjectNode) edited.get("schedule").get("date")).put("cron", "15 3 * * *");
    JsonNode updated = api.post(me, path, JSON.writeValueAsString(edited)).expect(200).data();
    assertThat(updated.get("id").asLong()).isEqualTo(id);
    assertThat(updated.get("name").asText()).isEqualTo("Round trip, renamed");
    assertThat(updated.get("environment_id").asLong()).isEqualTo(marketingProd);
    assertThat(updated.get("project_id").asLong()).isEqualTo(marketing);
    assertThat(updated.get("deferring_environment_id").isNull()).isTrue();
    assertThat(updated.get("state").asInt()).isEqualTo(2);
    assertThat(updated.get("next_run").isNull()).isTrue();
    assertThat(updated.at("/schedule/cron").asText()).isEqualTo("15 3 * * *");
    assertThat(updated.get("created_at")).isEqualTo(created.get("created_at"));

    DbtJob cr = job("round-trip");
    assertThat(cr.getSpec().steps).containsExactly("dbt build");
    assertThat(cr.getSpec().environmentRef.name).isEqualTo("marketing-prod");
    assertThat(cr.getSpec().deferral).isNull();
    assertThat(cr.getSpec().suspend).isTrue();
    assertThat(cr.getSpec().triggers.schedule.cron).isEqualTo("15 3 * * *");
    assertThat(cr.getMetadata().getLabels())
        .containsEntry(ApiGroup.ENVIRONMENT_ID_LABEL, Long.toString(marketingProd))
        .containsEntry(ApiGroup.PROJECT_ID_LABEL, Long.toString(marketing));

    // PUT, a partial body, and what the body leaves out stays
    JsonNode resumed = api.put(me, path, Map.of("state", 1, "triggers", Map.of("schedule", false))).expect(200).data();
    assertThat(resumed.get("state").asInt()).isEqualTo(1);
    assertThat(resumed.get("job_type").asText()).isEqualTo("other");
    assertThat(resumed.get("name").asText()).isEqualTo("Round trip, renamed");
    assertThat(job("round-trip").getSpec().triggers.schedule).isNull();
    assertThat(job("round-trip").getSpec().threads).isEqualTo(8);

    api.post(me, path, Map.of("id", id + 1)).expectError(400, "'id'");
    api.post(me, path, Map.of("account_id", them.id())).expectError(400, "'account_id'");
    api.post(me, path, Map.of("project_id", shop)).expectError(400, "'project_id'", "belongs to project " + marketing);
  }

  @Test
  void chainsAndDefersToOtherJobsOfTheAccount() {
    long upstream = api.createJob(me, shopProd, "Upstream").get("id").asLong();
    long downstream = api.createJob(me, shopProd, "Downstream").get("id").asLong();
    String path = me.v2() + "/jobs/" + downstream;

    JsonNode chained = api.post(me, path, Map.of("job_completion_trigger_condition",
        Map.of("condition", Map.of("job_id", upstream, "project_id", shop, "statuses", List.of(10, "error"))),
        "deferring_job_definition_id", downstream)).expect(200).data();
    assertThat(chained.at("/job_completion_trigger_condition/condition/job_id").asLong()).isEqualTo(upstream);
    assertThat(chained.at("/job_completion_trigger_condition/condition/project_id").asLong()).isEqualTo(shop);
    assertThat(chained.at("/job_completion_trigger_condition/condition/statuses"))
        .extracting(JsonNode::asInt).containsExactly(10, 20);
    assertThat(chained.get("deferring_job_definition_id").asLong()).isEqualTo(downstream);
    DbtJob cr = job("downstream");
    assertThat(cr.getSpec().triggers.onJobCompletion.jobRef.name).isEqualTo("upstream");
    assertThat(cr.getSpec().triggers.onJobCompletion.statuses)
        .containsExactly(JobCompletionStatus.Succeeded, JobCompletionStatus.Failed);
    assertThat(cr.getSpec().deferral.jobRef.name).isEqualTo("downstream");

    Map<String, Object> unchain = new HashMap<>();
    unchain.put("job_completion_trigger_condition", null);
    unchain.put("deferring_job_definition_id", null);
    JsonNode unchained = api.post(me, path, unchain).expect(200).data();
    assertThat(unchained.get("job_completion_trigger_condition").isNull()).isTrue();
    assertThat(unchained.get("deferring_job_definition_id").isNull()).isTrue();
    assertThat(job("downstream").getSpec().triggers.onJobCompletion).isNull();
    assertThat(job("downstream").getSpec().deferral).isNull();

    api.post(me, path, Map.of("job_completion_trigger_condition",
        Map.of("condition", Map.of("job_id", downstream, "statuses", List.of(10))))).expectError(400, "own");
    api.post(me, path, Map.of("job_completion_trigger_condition",
        Map.of("condition", Map.of("job_id", upstream, "statuses", List.of(40))))).expectError(400, "'job_completion_trigger_condition.condition.statuses'");
    api.post(me, path, Map.of("job_completion_trigger_condition",
        Map.of("condition", Map.of("job_id", upstream, "project_id", marketing, "statuses", List.of(10)))))
        .expectError(400, "'job_completion_trigger_condition.condition.project_id'");
    api.post(me, path, Map.of("job_completion_trigger_condition",
        Map.of("condition", Map.of("job_id", theirJob, "statuses", List.of(10))))).expectError(400, "not a job of this account");
    api.post(me, path, Map.of("deferring_job_definition_id", theirJob)).expectError(400, "not a job of this account");
    api.post(me, path, Map.of("deferring_environment_id", theirEnvironment)).expectError(400, "not an environment of this account");
    api.post(me, path, Map.of("deferring_job_definition_id", upstream, "deferring_environment_id", shopStaging))
        .expectError(400, "only one");
  }

  @Test
  void deleteAnswersTheObjectAndRemovesTheResource() {
    long id = api.createJob(me, shopProd, "Disposable").get("id").asLong();
    Response deleted = api.delete(me, me.v2() + "/jobs/" + id + "/").expect(200);
    assertThat(deleted.data().get("id").asLong()).isEqualTo(id);
    assertThat(deleted.data().get("name").asText()).isEqualTo("Disposable");
    assertThat(deleted.data().get("state").asInt()).isEqualTo(2);
    assertThat(job("disposable")).isNull();
    api.get(me, me.v2() + "/jobs/" + id).expectError(404, "Job " + id + " was not found.");
    api.post(me, me.v2() + "/jobs/" + id, Map.of("name", "back")).expect(404);
    api.delete(me, me.v2() + "/jobs/" + id).expect(404);
  }

  @Test
  void anotherAccountsJobIsNotFoundAndInvisible() {
    String path = me.v2() + "/jobs/" + theirJob;
    long missing = theirJob + 100_000;
    Response theirs = api.get(me, path).expect(404);
    assertThat(theirs.raw().replace(Long.toString(theirJob), "ID"))
        .isEqualTo(api.get(me, me.v2() + "/jobs/" + missing).expect(404).raw().replace(Long.toString(missing), "ID"));
    api.post(me, path, Map.of("name", "taken over")).expect(404);
    api.put(me, path, Map.of("name", "taken over")).expect(404);
    api.delete(me, path).expect(404);
    assertThat(api.get(me, me.v2() + "/jobs/").raw()).doesNotContain("Their job");
    assertThat(ids(api.get(me, me.v2() + "/jobs/?environment_id=" + theirEnvironment).expect(200))).isEmpty();
    api.get(me, them.v2() + "/jobs/").expect(404);
    api.post(me, them.v2() + "/jobs/", Map.of("name", "x", "environment_id", theirEnvironment,
        "execute_steps", List.of("dbt run"))).expect(404);
    assertThat(api.kubernetes().resources(DbtJob.class).inNamespace(them.namespace()).withName("their-job").get()
        .getMetadata().getAnnotations()).containsEntry(ApiGroup.DISPLAY_NAME_ANNOTATION, "Their job");
  }

  @Test
  void badBodiesAre400WithAUsefulMessage() {
    String path = me.v2() + "/jobs/";
    api.post(me, path, "{\"name\": \"x\",}").expectError(400, "not valid JSON");
    api.post(me, path, "\"a string\"").expectError(400, "JSON object");
    api.post(me, path, without(valid(), "name")).expectError(400, "'name'", "required");
    api.post(me, path, with(valid(), "name", List.of("x"))).expectError(400, "'name'");
    api.post(me, path, without(valid(), "environment_id")).expectError(400, "'environment_id'", "required");
    api.post(me, path, with(valid(), "environment_id", 99_999_999)).expectError(400, "'environment_id'", "not an environment");
    api.post(me, path, with(valid(), "environment_id", theirEnvironment)).expectError(400, "'environment_id'", "not an environment");
    api.post(me, path, with(valid(), "environment_id", "prod")).expectError(400, "'environment_id'", "whole number");
    api.post(me, path, with(valid(), "environment_id", development)).expectError(400, "development environment");
    api.post(me, path, with(valid(), "project_id", marketing)).expectError(400, "'project_id'");
    // without steps (dagster-dbt's ad hoc job, triggered with steps_override) a job runs dbt build
    assertThat(api.post(me, path, with(without(valid(), "execute_steps"), "name", "Ad hoc")).expect(201).data()
        .get("execute_steps"))
        .extracting(JsonNode::asText).containsExactly("dbt build");
    api.post(me, path, with(valid(), "execute_steps", "dbt run")).expectError(400, "'execute_steps'", "list");
    api.post(me, path, with(valid(), "execute_steps", List.of())).expectError(400, "'execute_steps'");
    api.post(me, path, with(valid(), "execute_steps", List.of("dbt run", "rm -rf /"))).expectError(400, "item 2", "dbt command");
    api.post(me, path, with(valid(), "execute_steps", Collections.nCopies(51, "dbt run"))).expectError(400, "'execute_steps'", "50");
    api.post(me, path, with(valid(), "dbt_version", "1.7.0-latest")).expectError(400, "'dbt_version'");
    api.post(me, path, with(valid(), "state", 3)).expectError(400, "'state'");
    api.post(me, path, with(valid(), "settings", Map.of("threads", 100))).expectError(400, "'settings.threads'");
    api.post(me, path, with(valid(), "settings", Map.of("target_name", "a b"))).expectError(400, "'settings.target_name'");
    api.post(me, path, with(valid(), "execution", Map.of("timeout_seconds", 200_000))).expectError(400, "'execution.timeout_seconds'");
    api.post(me, path, with(valid(), "triggers", Map.of("github_webhook", true))).expectError(400, "'triggers.github_webhook'");
    api.post(me, path, with(valid(), "triggers", Map.of("schedule", "yes"))).expectError(400, "'triggers.schedule'");
    api.post(me, path, with(valid(), "triggers", Map.of("schedule", true))).expectError(400, "'schedule.cron'", "required");
    api.post(me, path, scheduled("61 * * * *")).expectError(400, "'schedule.cron'", "minute");
    api.post(me, path, scheduled("0 2 * *")).expectError(400, "'schedule.cron'", "five fields");
    api.post(me, path, scheduled("0 2 * * MOON")).expectError(400, "'schedule.cron'", "day-of-week");
    api.post(me, path, scheduled("@daily")).expectError(400, "'schedule.cron'");
    api.post(me, path, with(valid(), "schedule", Map.of("date", Map.of("type", "weekly")))).expectError(400, "'schedule.date.type'");
    api.post(me, path, with(valid(), "id", 12)).expectError(400, "'id'");
    assertThat(api.kubernetes().resources(DbtJob.class).inNamespace(me.namespace()).withName("invalid").get()).isNull();
  }

  @Test
  void jobsMadeWithKubectlAreListedWithIdsAndTheirNextRun() {
    Tenant fresh = api.newAccount("GitOps jobs");
    long p = api.createProject(fresh, "Git shop").get("id").asLong();
    long e = api.createEnvironment(fresh, p, "Git prod").get("id").asLong();
    DbtJob gitops = new DbtJob(fresh.namespace(), "hourly", new DbtJobSpec());
    gitops.getSpec().environmentRef = ObjectRef.named("git-prod");
    gitops.getSpec().steps = List.of("dbt build");
    gitops.getSpec().triggers = new JobTriggers();
    gitops.getSpec().triggers.schedule = new JobSchedule("0 * * * *");
    api.kubernetes().resource(gitops).create();
    DbtJob stored = api.kubernetes().resources(DbtJob.class).inNamespace(fresh.namespace()).withName("hourly").get();
    stored.setStatus(new DbtJobStatus());
    stored.getStatus().nextRunTime = Instant.now().plus(3, ChronoUnit.HOURS).plus(5, ChronoUnit.MINUTES)
        .truncatedTo(ChronoUnit.SECONDS).toString();
    api.kubernetes().resource(stored).updateStatus();

    Response list = api.get(fresh, fresh.v2() + "/jobs/").expect(200);
    assertThat(list.data()).hasSize(1);
    JsonNode j = list.data().get(0);
    assertThat(j.get("id").asLong()).isPositive();
    assertThat(j.get("name").asText()).isEqualTo("hourly");
    assertThat(j.get("environment_id").asLong()).isEqualTo(e);
    assertThat(j.get("project_id").asLong()).isEqualTo(p);
    assertThat(j.get("job_type").asText()).isEqualTo("scheduled");
    assertThat(j.get("next_run").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00");
    assertThat(j.get("next_run_humanized").asText()).isEqualTo("in 3 hours");
    assertThat(ids(api.get(fresh, fresh.v2() + "/jobs/?project_id=" + p).expect(200))).containsExactly(j.get("id").asLong());
  }

  private static String cronOf(Map<String, Object> schedule) {
    Map<String, Object> body = valid();
    body.put("name", "Schedule " + schedule.hashCode());
    body.put("triggers", Map.of("schedule", true));
    body.put("schedule", schedule);
    JsonNode j = api.post(me, me.v2() + "/jobs/", body).expect(201).data();
    return j.at("/schedule/cron").asText();
  }

  private static Map<String, Object> nightly(String name) {
    Map<String, Object> body = new HashMap<>();
    body.put("id", null);
    body.put("account_id", me.id());
    body.put("project_id", shop);
    body.put("environment_id", shopProd);
    body.put("name", name);
    body.put("description", "Everything, every night");
    body.put("execute_steps", List.of("dbt seed", "dbt build --select tag:nightly"));
    body.put("dbt_version", null);
    body.put("triggers", Map.of("github_webhook", false, "git_provider_webhook", false, "schedule", true, "on_merge", false));
    body.put("settings", Map.of("threads", 8, "target_name", "prod"));
    body.put("state", 1);
    body.put("generate_docs", true);
    body.put("run_generate_sources", true);
    body.put("schedule", Map.of("cron", "0 2 * * *", "date", Map.of("type", "custom_cron", "cron", "0 2 * * *"),
        "time", Map.of("type", "every_hour", "interval", 1)));
    body.put("execution", Map.of("timeout_seconds", 3600));
    body.put("deferring_job_definition_id", null);
    body.put("deferring_environment_id", shopStaging);
    body.put("job_completion_trigger_condition", null);
    body.put("triggers_on_draft_pr", false);
    body.put("job_type", "scheduled");
    return body;
  }

  private static Map<String, Object> valid() {
    Map<String, Object> body = new HashMap<>();
    body.put("name", "Invalid");
    body.put("environment_id", shopProd);
    body.put("execute_steps", List.of("dbt build"));
    return body;
  }

  private static Map<String, Object> scheduled(String cron) {
    Map<String, Object> body = with(valid(), "triggers", Map.of("schedule", true));
    return with(body, "schedule", Map.of("cron", cron));
  }

  private static Map<String, Object> with(Map<String, Object> body, String field, Object value) {
    body.put(field, value);
    return body;
  }

  private static Map<String, Object> without(Map<String, Object> body, String field) {
    body.remove(field);
    return body;
  }

  private static DbtJob job(String name) {
    return api.kubernetes().resources(DbtJob.class).inNamespace(me.namespace()).withName(name).get();
  }

  private static List<Long> ids(Response r) {
    List<Long> ids = new ArrayList<>();
    r.data().forEach(j -> ids.add(j.get("id").asLong()));
    return ids;
  }
}
