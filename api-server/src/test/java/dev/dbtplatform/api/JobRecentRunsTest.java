package dev.dbtplatform.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbtplatform.api.ApiTestHarness.Tenant;
import dev.dbtplatform.api.db.RunHistory;
import dev.dbtplatform.api.runs.ObservedRun;
import dev.dbtplatform.api.runs.RunStatus;
import dev.dbtplatform.api.runs.Trigger;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A job's {@code most_recent_run} and {@code most_recent_completed_run}, as dbt Cloud shows them:
 * the job's newest run and its newest finished one (Success, Error or Cancelled), each a whole run
 * object as the runs API has it, on the job, in the job list and on a run's related job.
 */
class JobRecentRunsTest {
  static final ApiTestHarness api = ApiTestHarness.shared();
  static final AtomicInteger RUNS = new AtomicInteger();
  static Tenant me;
  static Tenant them;
  static long project;
  static long environment;
  static RunHistory history;

  @BeforeAll
  static void setUp() {
    me = api.newAccount("Recent runs");
    them = api.newAccount("Recent runs, other");
    project = api.createProject(me, "Shop").get("id").asLong();
    environment = api.createEnvironment(me, project, "Prod").get("id").asLong();
    history = new RunHistory(api.db());
  }

  /** Records a run of a job as the recorder would, created {@code minutesAgo}; answers its id. */
  static long run(Tenant as, long jobId, RunStatus status, int minutesAgo, boolean logsPending) {
    OffsetDateTime created = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).minusMinutes(minutesAgo);
    OffsetDateTime started = status == RunStatus.QUEUED ? null : created.plusSeconds(10);
    OffsetDateTime finished = status.isComplete() ? created.plusSeconds(50) : null;
    String uid = "uid-recent-" + RUNS.incrementAndGet();
    return history.record(new ObservedRun(as.id(), as.namespace(), "recent-" + uid, uid, null, jobId, project,
        environment, "job", "prod", "shop", new Trigger("Recent runs test", "api", Map.of()), status,
        status.phase.name(), status == RunStatus.ERROR ? "StepFailed" : null, null, "main", "abc123",
        created, started, finished, null, null, null, List.of(), null, null, status.isComplete() && !logsPending,
        logsPending));
  }

  static JsonNode job(long id) {
    return api.get(me, me.v2() + "/jobs/" + id + "/").expect(200).data();
  }

  @Test
  void aJobWithoutRunsHasNeither() {
    long id = api.createJob(me, environment, "Never ran").get("id").asLong();
    JsonNode created = api.post(me, me.v2() + "/jobs/", Map.of("name", "Just made", "environment_id", environment))
        .expect(201).data();
    assertThat(created.get("most_recent_run").isNull()).isTrue();
    JsonNode j = job(id);
    assertThat(j.has("most_recent_run")).isTrue();
    assertThat(j.get("most_recent_run").isNull()).isTrue();
    assertThat(j.has("most_recent_completed_run")).isTrue();
    assertThat(j.get("most_recent_completed_run").isNull()).isTrue();
  }

  @Test
  void theNewestRunAndTheNewestFinishedOneAreWholeRunObjects() {
    long id = api.createJob(me, environment, "Nightly").get("id").asLong();
    long oldest = run(me, id, RunStatus.ERROR, 60, false);
    long finished = run(me, id, RunStatus.SUCCESS, 30, false);
    long running = run(me, id, RunStatus.RUNNING, 5, false);

    JsonNode j = job(id);
    JsonNode recent = j.get("most_recent_run");
    assertThat(recent.get("id").asLong()).isEqualTo(running);
    assertThat(recent.get("status").asInt()).isEqualTo(3);
    assertThat(recent.get("status_humanized").asText()).isEqualTo("Running");
    assertThat(recent.get("job_definition_id").asLong()).isEqualTo(id);
    assertThat(recent.has("finished_at")).isTrue();
    assertThat(recent.get("finished_at").isNull()).isTrue();
    assertThat(recent.get("in_progress").asBoolean()).isTrue();
    JsonNode completed = j.get("most_recent_completed_run");
    assertThat(completed.get("id").asLong()).isEqualTo(finished).isNotEqualTo(oldest);
    assertThat(completed.get("status").asInt()).isEqualTo(10);
    assertThat(completed.get("status_humanized").asText()).isEqualTo("Success");
    assertThat(completed.get("job_definition_id").asLong()).isEqualTo(id);
    assertThat(completed.get("finished_at").asText()).isNotBlank();
    assertThat(completed.get("is_complete").asBoolean()).isTrue();
    // the same object the runs API answers for that run
    JsonNode fromRuns = api.get(me, me.v2() + "/runs/" + finished + "/").expect(200).data();
    assertThat(completed.get("href").asText()).isEqualTo(fromRuns.get("href").asText());
    assertThat(iterable(completed.fieldNames())).containsExactlyElementsOf(iterable(fromRuns.fieldNames()));

    // once the running one ends in error, it is both
    run(me, id, RunStatus.CANCELLED, 90, false); // an older cancelled run changes nothing
    long errored = run(me, id, RunStatus.ERROR, 1, false);
    j = job(id);
    assertThat(j.at("/most_recent_run/id").asLong()).isEqualTo(errored);
    assertThat(j.at("/most_recent_completed_run/id").asLong()).isEqualTo(errored);
    assertThat(j.at("/most_recent_completed_run/status_humanized").asText()).isEqualTo("Error");
  }

  @Test
  void aRunWhoseArtifactsAreStillOnTheirWayIsNotCompletedYet() {
    long id = api.createJob(me, environment, "Flushing").get("id").asLong();
    long earlier = run(me, id, RunStatus.SUCCESS, 20, false);
    long flushing = run(me, id, RunStatus.SUCCESS, 2, true); // ended a minute ago, logs not flushed
    JsonNode j = job(id);
    assertThat(j.at("/most_recent_run/id").asLong()).isEqualTo(flushing);
    assertThat(j.at("/most_recent_run/status_humanized").asText()).isEqualTo("Running"); // as the runs API shows it
    assertThat(j.at("/most_recent_completed_run/id").asLong()).isEqualTo(earlier);
  }

  @Test
  void theListShowsEachJobsOwnRunsAndAnotherAccountsRunsNever() {
    Tenant fresh = api.newAccount("Recent runs list");
    long p = api.createProject(fresh, "P").get("id").asLong();
    long e = api.createEnvironment(fresh, p, "E").get("id").asLong();
    long a = api.createJob(fresh, e, "a").get("id").asLong();
    long b = api.createJob(fresh, e, "b").get("id").asLong();
    long c = api.createJob(fresh, e, "c").get("id").asLong();
    long aDone = run(fresh, a, RunStatus.SUCCESS, 10, false);
    long aQueued = run(fresh, a, RunStatus.QUEUED, 1, false);
    long bRunning = run(fresh, b, RunStatus.RUNNING, 3, false);
    run(them, c, RunStatus.SUCCESS, 1, false); // another account's history with c's number

    JsonNode list = api.get(fresh, fresh.v2() + "/jobs/?order_by=id").expect(200).data();
    Map<Long, JsonNode> byId = new HashMap<>();
    list.forEach(j -> byId.put(j.get("id").asLong(), j));
    assertThat(byId.get(a).at("/most_recent_run/id").asLong()).isEqualTo(aQueued);
    assertThat(byId.get(a).at("/most_recent_run/status").asInt()).isEqualTo(1);
    assertThat(byId.get(a).at("/most_recent_completed_run/id").asLong()).isEqualTo(aDone);
    assertThat(byId.get(b).at("/most_recent_run/id").asLong()).isEqualTo(bRunning);
    assertThat(byId.get(b).get("most_recent_completed_run").isNull()).isTrue();
    assertThat(byId.get(c).get("most_recent_run").isNull()).isTrue();
    assertThat(byId.get(c).get("most_recent_completed_run").isNull()).isTrue();
    // a page of the list: its jobs only, with theirs
    JsonNode second = api.get(fresh, fresh.v2() + "/jobs/?order_by=id&limit=1&offset=1").expect(200).data();
    assertThat(second.get(0).at("/most_recent_run/id").asLong()).isEqualTo(bRunning);

    // the job of a run, with include_related
    JsonNode related = api.get(fresh, fresh.v2() + "/runs/?include_related=job&job_definition_id=" + a).expect(200)
        .data();
    assertThat(related).hasSize(2);
    related.forEach(r -> assertThat(r.at("/job/most_recent_run/id").asLong()).isEqualTo(aQueued));
  }

  @Test
  void historyAnswersForManyJobsInOneCall() {
    long x = api.createJob(me, environment, "x").get("id").asLong();
    long y = api.createJob(me, environment, "y").get("id").asLong();
    long xDone = run(me, x, RunStatus.CANCELLED, 8, false);
    long xRunning = run(me, x, RunStatus.STARTING, 4, false);
    var recent = history.recentOfJobs(me.id(), List.of(x, y, x, 999_999_999L), OffsetDateTime.now(ZoneOffset.UTC));
    assertThat(recent).containsOnlyKeys(x);
    assertThat(recent.get(x).newest().id()).isEqualTo(xRunning);
    assertThat(recent.get(x).newestFinished().id()).isEqualTo(xDone);
    assertThat(history.recentOfJobs(me.id(), List.of(), OffsetDateTime.now(ZoneOffset.UTC))).isEmpty();
    assertThat(history.recentOfJobs(them.id(), List.of(x), OffsetDateTime.now(ZoneOffset.UTC))).isEmpty();
  }

  private static List<String> iterable(java.util.Iterator<String> names) {
    List<String> list = new java.util.ArrayList<>();
    names.forEachRemaining(list::add);
    return list;
  }
}
