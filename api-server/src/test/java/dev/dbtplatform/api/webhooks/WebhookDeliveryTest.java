package dev.dbtplatform.api.webhooks;

import static dev.dbtplatform.api.db.generated.Tables.WEBHOOK_DELIVERIES;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbtplatform.api.ApiTestHarness;
import dev.dbtplatform.api.ApiTestHarness.Tenant;
import dev.dbtplatform.api.db.RunHistory;
import dev.dbtplatform.api.runs.ObservedRun;
import dev.dbtplatform.api.runs.RunStatus;
import dev.dbtplatform.api.runs.Trigger;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunStatus;
import dev.dbtplatform.crd.RunPhase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Run events become signed deliveries to a real receiver on 127.0.0.1: once per event however
 * often and by however many recorders a run is recorded, retried with backoff on server errors
 * and timeouts (on a clock the test moves), never after a client error, only for the jobs and
 * accounts a subscription covers. Each test has an account of its own, and its worker takes only
 * that account's deliveries, since every test shares one database.
 */
class WebhookDeliveryTest {
  static final ApiTestHarness api = ApiTestHarness.shared();
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> ALL_EVENTS = List.of("job.run.started", "job.run.completed", "job.run.errored");
  static final AtomicInteger RUNS = new AtomicInteger();
  static TestReceiver receiver;

  Tenant t;
  long jobA;
  long jobB;
  long projectId;
  long environmentId;
  MutableClock clock;
  RunHistory history;

  @BeforeAll
  static void startReceiver() {
    receiver = new TestReceiver();
  }

  @AfterAll
  static void stopReceiver() {
    receiver.close();
  }

  @BeforeEach
  void setUp() {
    t = api.newAccount("Webhooks");
    projectId = api.createProject(t, "Shop").get("id").asLong();
    environmentId = api.createEnvironment(t, projectId, "Production").get("id").asLong();
    jobA = api.createJob(t, environmentId, "Nightly").get("id").asLong();
    jobB = api.createJob(t, environmentId, "Hourly").get("id").asLong();
    // ahead of the wall clock, so subscriptions made through the API exist before every event
    clock = new MutableClock(Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS));
    history = new RunHistory(api.db(), new WebhookOutbox(clock));
  }

  WebhookDeliveryWorker worker(Duration timeout) {
    return worker(timeout, clock);
  }

  WebhookDeliveryWorker worker(Duration timeout, Clock on) {
    return worker(WebhookDeliverySettings.defaults().withTimeout(timeout), on);
  }

  WebhookDeliveryWorker worker(WebhookDeliverySettings settings, Clock on) {
    return new WebhookDeliveryWorker(api.db(), settings, api.webhookSecrets(), new WebhookMetrics(api.registry()), on,
        WEBHOOK_DELIVERIES.ACCOUNT_ID.eq(t.id()));
  }

  JsonNode subscribe(String path, List<String> events, List<Long> jobIds, boolean active) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", "hook " + path);
    body.put("client_url", receiver.url(path));
    body.put("event_types", events);
    body.put("job_ids", jobIds);
    body.put("active", active);
    return api.post(t, t.v3() + "/webhooks/subscriptions", body).expect(201).data();
  }

  OffsetDateTime now() {
    return OffsetDateTime.now(clock);
  }

  /** A run of a job as the recorder would observe it, identified by uid. */
  ObservedRun run(String uid, long jobId, RunStatus status, OffsetDateTime startedAt, OffsetDateTime finishedAt,
                  boolean logsPending, boolean artifactsSaved) {
    return new ObservedRun(t.id(), t.namespace(), "hook-" + uid, uid, null, jobId, projectId, environmentId,
        jobId == jobA ? "nightly" : "hourly", "production", "shop",
        new Trigger("Kicked off by the webhook tests", "api", Map.of()),
        status, status.phase.name(), status == RunStatus.ERROR ? "StepFailed" : null,
        status == RunStatus.ERROR ? "step 4 failed: dbt build exited 1" : null, "main", "abc123",
        startedAt == null ? now() : startedAt.minusSeconds(5), startedAt, finishedAt, null, null, null, List.of(),
        null, null, artifactsSaved, logsPending);
  }

  ObservedRun running(String uid, long jobId) {
    return run(uid, jobId, RunStatus.RUNNING, now(), null, false, false);
  }

  ObservedRun finished(String uid, long jobId, RunStatus status) {
    return run(uid, jobId, status, now().minusSeconds(60), now(), false, true);
  }

  static String uid() {
    return "uid-webhook-" + RUNS.incrementAndGet();
  }

  static String hmacHex(String secret, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(body));
  }

  static JsonNode json(TestReceiver.Received r) {
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError("the receiver got a body that is not JSON: " + r.text(), e);
    }
  }

  JsonNode deliveryLog(JsonNode subscription) {
    return api.get(t, t.v3() + "/webhooks/subscription/" + subscription.get("id").asText() + "/deliveries")
        .expect(200).body();
  }

  @Test
  void deliversSignedPayloadsWithDbtCloudsFields() throws Exception {
    JsonNode sub = subscribe("/signed", ALL_EVENTS, List.of(), true);
    String secret = sub.get("hmac_secret").asText();
    String uid = uid();
    long runId = history.record(running(uid, jobA));
    assertThat(worker(Duration.ofSeconds(5)).deliverDue()).isEqualTo(1);

    List<TestReceiver.Received> got = receiver.received("/signed");
    assertThat(got).hasSize(1);
    TestReceiver.Received started = got.get(0);
    assertThat(started.authorization()).isEqualTo(hmacHex(secret, started.body()));
    assertThat(started.contentType()).isEqualTo("application/json");
    JsonNode p = json(started);
    assertThat(p.get("accountId").isNumber()).isTrue();
    assertThat(p.get("accountId").asLong()).isEqualTo(t.id());
    assertThat(p.get("webhooksID").asText()).isEqualTo(sub.get("id").asText());
    assertThat(p.get("eventId").asText()).startsWith("wev_");
    assertThat(p.get("eventType").asText()).isEqualTo("job.run.started");
    assertThat(p.get("webhookName").asText()).isEqualTo("hook /signed");
    assertThat(Instant.parse(p.get("timestamp").asText())).isEqualTo(clock.instant());
    JsonNode data = p.get("data");
    assertThat(data.get("jobId").asText()).isEqualTo(Long.toString(jobA));
    assertThat(data.get("jobId").isTextual()).isTrue();
    assertThat(data.get("runId").asText()).isEqualTo(Long.toString(runId));
    assertThat(data.get("environmentId").asText()).isEqualTo(Long.toString(environmentId));
    assertThat(data.get("projectId").asText()).isEqualTo(Long.toString(projectId));
    assertThat(data.get("jobName").asText()).isEqualTo("nightly");
    assertThat(data.get("environmentName").asText()).isEqualTo("production");
    assertThat(data.get("projectName").asText()).isEqualTo("shop");
    assertThat(data.get("runStatus").asText()).isEqualTo("Running");
    assertThat(data.get("runStatusCode").asInt()).isEqualTo(3);
    assertThat(data.get("runStatusMessage").asText()).isEqualTo("None");
    assertThat(data.get("runReason").asText()).isEqualTo("Kicked off by the webhook tests");
    assertThat(data.get("runStartedAt").asText()).isEqualTo(now().toInstant().truncatedTo(ChronoUnit.SECONDS).toString());
    assertThat(data.has("runFinishedAt")).isFalse();

    // an errored run: job.run.errored and job.run.completed, as dbt Cloud sends both
    clock.advance(Duration.ofSeconds(90));
    history.record(run(uid, jobA, RunStatus.ERROR, now().minusSeconds(90), now(), false, true));
    assertThat(worker(Duration.ofSeconds(5)).deliverDue()).isEqualTo(2);
    got = receiver.received("/signed");
    assertThat(got).hasSize(3);
    Map<String, JsonNode> byEvent = new LinkedHashMap<>();
    for (TestReceiver.Received r : got) {
      assertThat(r.authorization()).isEqualTo(hmacHex(secret, r.body()));
      byEvent.put(json(r).get("eventType").asText(), json(r));
    }
    assertThat(byEvent).containsOnlyKeys(ALL_EVENTS);
    JsonNode errored = byEvent.get("job.run.errored").get("data");
    assertThat(errored.get("runStatus").asText()).isEqualTo("Errored");
    assertThat(errored.get("runStatusCode").asInt()).isEqualTo(20);
    assertThat(errored.get("runStatusMessage").asText()).isEqualTo("step 4 failed: dbt build exited 1");
    assertThat(errored.get("runErroredAt").asText()).isEqualTo(now().toInstant().truncatedTo(ChronoUnit.SECONDS).toString());
    JsonNode completed = byEvent.get("job.run.completed").get("data");
    assertThat(completed.get("runStatusCode").asInt()).isEqualTo(20);
    assertThat(completed.get("runFinishedAt").asText()).isEqualTo(errored.get("runErroredAt").asText());
    assertThat(byEvent.values().stream().map(n -> n.get("eventId").asText()).distinct()).hasSize(3);

    // the subscription shows the latest answer; the log shows each delivery and the exact body sent
    JsonNode shown = api.get(t, t.v3() + "/webhooks/subscription/" + sub.get("id").asText()).expect(200).data();
    assertThat(shown.get("http_status_code").asText()).isEqualTo("200");
    assertThat(shown.get("dispatched_at").asText()).isNotEmpty();
    assertThat(shown.has("hmac_secret")).isFalse();
    JsonNode log = deliveryLog(sub);
    assertThat(log.at("/extra/pagination/total_count").asInt()).isEqualTo(3);
    for (JsonNode d : log.get("data")) {
      assertThat(d.get("status").asText()).isEqualTo("delivered");
      assertThat(d.get("attempts").asInt()).isEqualTo(1);
      assertThat(d.get("run_id").asLong()).isEqualTo(runId);
      assertThat(d.get("last_status_code").asInt()).isEqualTo(200);
      assertThat(d.get("delivered_at").isNull()).isFalse();
      assertThat(d.get("attempt_log")).hasSize(1);
      assertThat(d.at("/attempt_log/0/status_code").asInt()).isEqualTo(200);
      assertThat(got.stream().map(TestReceiver.Received::text)).contains(d.get("request_body").asText());
    }
    assertThat(log.at("/data/0/event_type").asText()).isIn("job.run.errored", "job.run.completed"); // newest first
    assertThat(log.at("/data/2/event_type").asText()).isEqualTo("job.run.started");
  }

  @Test
  void eachEventIsSentOnceHoweverOftenAndByHowManyRecordersTheRunIsRecorded() throws Exception {
    subscribe("/once", ALL_EVENTS, List.of(), true);
    String uid = uid();
    ObservedRun success = finished(uid, jobA, RunStatus.SUCCESS);
    RunHistory secondReplica = new RunHistory(api.db(), new WebhookOutbox(clock));

    // two recorders racing on the same new run; one may lose the insert, as the recorder then
    // logs and retries at the next event
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> racing = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      RunHistory recorder = i % 2 == 0 ? history : secondReplica;
      racing.add(pool.submit(() -> {
        go.await();
        try {
          recorder.record(success);
        } catch (RuntimeException e) {
          // lost the race to insert the row
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : racing) {
      f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();
    long runId = history.record(success);
    secondReplica.record(success);
    history.record(success);

    WebhookDeliveryWorker first = worker(Duration.ofSeconds(5));
    WebhookDeliveryWorker second = worker(Duration.ofSeconds(5));
    assertThat(first.deliverDue() + second.deliverDue() + first.deliverDue()).isEqualTo(2);
    clock.advance(Duration.ofHours(1));
    history.record(success); // the informer's resync an hour later
    assertThat(first.deliverDue() + second.deliverDue()).isZero();

    List<String> events = receiver.received("/once").stream().map(r -> json(r).get("eventType").asText()).toList();
    assertThat(events).containsExactlyInAnyOrder("job.run.started", "job.run.completed");
    assertThat(receiver.received("/once")).allSatisfy(r -> assertThat(json(r).at("/data/runId").asLong()).isEqualTo(runId));
  }

  @Test
  void retriesServerErrorsWithExponentialBackoffThenSucceeds() throws Exception {
    JsonNode sub = subscribe("/flaky", List.of("job.run.started"), List.of(), true);
    receiver.answer("/flaky", 500, 503, 200);
    history.record(running(uid(), jobA));
    WebhookDeliveryWorker worker = worker(Duration.ofSeconds(5));

    assertThat(worker.deliverDue()).isEqualTo(1); // 500
    assertThat(worker.deliverDue()).isZero();
    clock.advance(Duration.ofSeconds(59));
    assertThat(worker.deliverDue()).isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(worker.deliverDue()).isEqualTo(1); // 503, a minute after the first
    clock.advance(Duration.ofSeconds(119));
    assertThat(worker.deliverDue()).isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(worker.deliverDue()).isEqualTo(1); // 200, two minutes after the second
    clock.advance(Duration.ofHours(1));
    assertThat(worker.deliverDue()).isZero();

    List<TestReceiver.Received> got = receiver.received("/flaky");
    assertThat(got).hasSize(3);
    assertThat(got.stream().map(TestReceiver.Received::text).distinct()).hasSize(1); // the same event each time
    JsonNode d = deliveryLog(sub).at("/data/0");
    assertThat(d.get("status").asText()).isEqualTo("delivered");
    assertThat(d.get("attempts").asInt()).isEqualTo(3);
    assertThat(d.get("last_error").isNull()).isTrue();
    assertThat(d.get("attempt_log").findValuesAsText("status_code")).containsExactly("500", "503", "200");
  }

  @Test
  void givesUpAfterFiveAttemptsOverAboutFifteenMinutes() {
    JsonNode sub = subscribe("/down", List.of("job.run.started"), List.of(), true);
    receiver.answer("/down", 502);
    history.record(running(uid(), jobA));
    WebhookDeliveryWorker worker = worker(Duration.ofSeconds(5));
    Instant first = clock.instant();
    int attempts = 0;
    for (int i = 0; i < 40; i++) { // every 30 seconds for 20 minutes
      attempts += worker.deliverDue();
      clock.advance(Duration.ofSeconds(30));
    }
    assertThat(attempts).isEqualTo(5);
    assertThat(receiver.received("/down")).hasSize(5);
    JsonNode d = deliveryLog(sub).at("/data/0");
    assertThat(d.get("status").asText()).isEqualTo("failed");
    assertThat(d.get("next_attempt_at").isNull()).isTrue();
    assertThat(d.get("last_status_code").asInt()).isEqualTo(502);
    assertThat(d.get("last_error").asText()).contains("HTTP 502");
    JsonNode lastAttempt = d.at("/attempt_log/4");
    assertThat(lastAttempt.get("attempt").asInt()).isEqualTo(5);
    // 1 + 2 + 4 + 8 minutes after the first attempt
    assertThat(OffsetDateTime.parse(lastAttempt.get("started_at").asText().replace(' ', 'T')).toInstant())
        .isEqualTo(first.plus(Duration.ofMinutes(15)));
  }

  @Test
  void aClientErrorIsNotRetried() {
    JsonNode sub = subscribe("/refusing", List.of("job.run.started"), List.of(), true);
    receiver.answer("/refusing", 400);
    history.record(running(uid(), jobA));
    WebhookDeliveryWorker worker = worker(Duration.ofSeconds(5));
    assertThat(worker.deliverDue()).isEqualTo(1);
    clock.advance(Duration.ofHours(1));
    assertThat(worker.deliverDue()).isZero();
    assertThat(receiver.received("/refusing")).hasSize(1);
    JsonNode d = deliveryLog(sub).at("/data/0");
    assertThat(d.get("status").asText()).isEqualTo("failed");
    assertThat(d.get("attempts").asInt()).isEqualTo(1);
    assertThat(d.get("last_status_code").asInt()).isEqualTo(400);
    JsonNode shown = api.get(t, t.v3() + "/webhooks/subscription/" + sub.get("id").asText()).expect(200).data();
    assertThat(shown.get("http_status_code").asText()).isEqualTo("400");
  }

  @Test
  void aReceiverSlowerThanTheTimeoutIsAFailedAttemptThatIsRetried() {
    JsonNode sub = subscribe("/slow", List.of("job.run.started"), List.of(), true);
    receiver.delay("/slow", Duration.ofSeconds(3));
    history.record(running(uid(), jobA));
    WebhookDeliveryWorker worker = worker(Duration.ofMillis(300));

    long started = System.nanoTime();
    assertThat(worker.deliverDue()).isEqualTo(1);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    JsonNode d = deliveryLog(sub).at("/data/0");
    assertThat(d.get("status").asText()).isEqualTo("pending");
    assertThat(d.get("last_status_code").isNull()).isTrue();
    assertThat(d.get("last_error").asText()).isEqualTo("no answer within 300 ms");
    assertThat(d.at("/attempt_log/0/error").asText()).isEqualTo("no answer within 300 ms");

    receiver.delay("/slow", Duration.ZERO);
    clock.advance(Duration.ofMinutes(1));
    assertThat(worker.deliverDue()).isEqualTo(1);
    assertThat(deliveryLog(sub).at("/data/0/status").asText()).isEqualTo("delivered");
  }

  @Test
  void onlyTheSubscribedJobsAndEventsOfActiveSubscriptionsAreSent() {
    subscribe("/job-a-only", ALL_EVENTS, List.of(jobA), true);
    subscribe("/every-job", List.of("job.run.completed"), List.of(), true);
    subscribe("/inactive", ALL_EVENTS, List.of(), false);
    JsonNode deactivated = subscribe("/deactivated", ALL_EVENTS, List.of(), true);

    history.record(finished(uid(), jobB, RunStatus.SUCCESS));
    history.record(finished(uid(), jobA, RunStatus.CANCELLED));
    // deactivated after its deliveries were queued: they are skipped, not sent
    Map<String, Object> off = new LinkedHashMap<>();
    off.put("name", "hook /deactivated");
    off.put("client_url", receiver.url("/deactivated"));
    off.put("event_types", ALL_EVENTS);
    off.put("active", false);
    api.put(t, t.v3() + "/webhooks/subscription/" + deactivated.get("id").asText(), off).expect(200);
    WebhookDeliveryWorker worker = worker(Duration.ofSeconds(5));
    while (worker.deliverDue() > 0) {
      // until nothing is due
    }

    assertThat(receiver.received("/job-a-only")).extracting(r -> json(r).get("eventType").asText() + " "
        + json(r).at("/data/jobId").asText() + " " + json(r).at("/data/runStatus").asText())
        .containsExactlyInAnyOrder("job.run.started " + jobA + " Cancelled", "job.run.completed " + jobA + " Cancelled");
    assertThat(receiver.received("/every-job")).extracting(r -> json(r).at("/data/jobId").asText())
        .containsExactlyInAnyOrder(Long.toString(jobA), Long.toString(jobB));
    assertThat(receiver.received("/inactive")).isEmpty();
    assertThat(receiver.received("/deactivated")).isEmpty();
    JsonNode log = deliveryLog(deactivated);
    assertThat(log.get("data").findValuesAsText("status")).containsOnly("skipped").hasSize(4);
  }

  @Test
  void runsOfOtherAccountsAndRunsThatEndedBeforeTheSubscriptionAreNotSent() {
    subscribe("/mine", ALL_EVENTS, List.of(), true);
    Tenant other = api.newAccount("Webhooks other");
    RunHistory otherHistory = new RunHistory(api.db(), new WebhookOutbox(clock));
    ObservedRun mineShape = finished(uid(), jobA, RunStatus.SUCCESS);
    otherHistory.record(new ObservedRun(other.id(), other.namespace(), mineShape.name(), mineShape.uid(), null,
        jobA, projectId, environmentId, "nightly", "production", "shop", mineShape.trigger(), RunStatus.SUCCESS,
        "Succeeded", null, null, null, null, mineShape.createdAt(), mineShape.startedAt(), mineShape.finishedAt(),
        null, null, null, List.of(), null, null, true, false));
    // a run that ended a day before the subscription existed, handed over again by a resync
    OffsetDateTime longAgo = OffsetDateTime.now(ZoneOffset.UTC).minusDays(1);
    history.record(run(uid(), jobA, RunStatus.SUCCESS, longAgo.minusMinutes(5), longAgo, false, true));

    assertThat(worker(Duration.ofSeconds(5)).deliverDue()).isZero();
    assertThat(api.db().dsl().fetchCount(WEBHOOK_DELIVERIES, WEBHOOK_DELIVERIES.ACCOUNT_ID.eq(other.id()))).isZero();
    assertThat(receiver.received("/mine")).isEmpty();
  }

  @Test
  void completedWaitsUntilTheRunsLogsAndArtifactsAreSaved() {
    subscribe("/after-flush", List.of("job.run.completed"), List.of(), true);
    String uid = uid();
    // ended, its volume still waiting for the log flush: the API shows it as Running
    history.record(run(uid, jobA, RunStatus.SUCCESS, now().minusSeconds(60), now(), true, false));
    WebhookDeliveryWorker worker = worker(Duration.ofSeconds(5));
    assertThat(worker.deliverDue()).isZero();
    clock.advance(Duration.ofSeconds(20));
    history.record(run(uid, jobA, RunStatus.SUCCESS, now().minusSeconds(80), now().minusSeconds(20), false, true));
    assertThat(worker.deliverDue()).isEqualTo(1);

    // an object store that stays down does not hold the event back for longer than the grace
    String stuck = uid();
    OffsetDateTime ended = now();
    history.record(run(stuck, jobA, RunStatus.SUCCESS, ended.minusSeconds(60), ended, true, false));
    assertThat(worker.deliverDue()).isZero();
    clock.advance(Duration.ofMinutes(5));
    history.record(run(stuck, jobA, RunStatus.SUCCESS, ended.minusSeconds(60), ended, true, false)); // resync
    assertThat(worker.deliverDue()).isEqualTo(1);
    assertThat(receiver.received("/after-flush")).hasSize(2);
  }

  @Test
  void theApisOwnRecorderQueuesEventsOfTriggeredRuns() throws Exception {
    JsonNode sub = subscribe("/triggered", List.of("job.run.started"), List.of(jobA), true);
    long runId = api.post(t, t.v2() + "/jobs/" + jobA + "/run/", Map.of("cause", "From the webhook tests"))
        .expect(200).data().get("id").asLong();
    var k8s = api.kubernetes();
    DbtRun run = k8s.resources(DbtRun.class).inNamespace(t.namespace()).withName("run-" + runId).get();
    DbtRunStatus status = new DbtRunStatus();
    status.phase = RunPhase.Running;
    status.startedAt = Instant.now().plusSeconds(1).toString();
    run.setStatus(status);
    k8s.resource(run).updateStatus();
    api.recordRun(t.namespace(), run.getMetadata().getName());
    api.recordRun(t.namespace(), run.getMetadata().getName());

    assertThat(deliveryLog(sub).get("data").findValuesAsText("status")).containsExactly("pending");
    assertThat(worker(Duration.ofSeconds(5), Clock.systemUTC()).deliverDue()).isEqualTo(1);
    List<TestReceiver.Received> got = receiver.received("/triggered");
    assertThat(got).hasSize(1);
    assertThat(got.get(0).authorization()).isEqualTo(hmacHex(sub.get("hmac_secret").asText(), got.get(0).body()));
    JsonNode data = json(got.get(0)).get("data");
    assertThat(data.get("runId").asText()).isEqualTo(Long.toString(runId));
    assertThat(data.get("runReason").asText()).isEqualTo("From the webhook tests");
  }

  @Test
  void aFailureToQueueNeverStopsRunHistoryAndTheNextRecordQueuesTheEvent() {
    JsonNode sub = subscribe("/later", List.of("job.run.started"), List.of(), true);
    var table = dev.dbtplatform.api.db.generated.Tables.WEBHOOK_SUBSCRIPTIONS;
    var byId = table.PUBLIC_ID.eq(sub.get("id").asText());
    api.db().dsl().update(table).set(table.EVENT_TYPES, "job.run.exploded").where(byId).execute();
    String uid = uid();
    long runId = history.record(running(uid, jobA));
    assertThat(history.statusChanges(runId)).extracting(RunHistory.StatusChange::phase).containsExactly("Running");
    assertThat(worker(Duration.ofSeconds(5)).deliverDue()).isZero();

    api.db().dsl().update(table).set(table.EVENT_TYPES, "job.run.started").where(byId).execute();
    history.record(running(uid, jobA)); // the next change or the resync
    assertThat(worker(Duration.ofSeconds(5)).deliverDue()).isEqualTo(1);
    assertThat(receiver.received("/later")).hasSize(1);
  }

  @Test
  void theSecretStaysOutOfWhatGetsLogged() {
    JsonNode sub = subscribe("/quiet", List.of("job.run.started"), List.of(), true);
    String secret = sub.get("hmac_secret").asText();
    assertThat(secret).matches("[0-9a-f]{64}");
    WebhookSubscription stored = new WebhookSubscriptions(api.db(), clock, api.webhookSecrets())
        .find(t.id(), sub.get("id").asText()).orElseThrow();
    // sealed at rest: the database holds no copy of the secret a receiver could use
    assertThat(stored.storedSecret()).startsWith("v1:").doesNotContain(secret);
    assertThat(api.webhookSecrets().open(stored.storedSecret())).isEqualTo(secret);
    assertThat(stored.toString()).doesNotContain(secret);
    history.record(running(uid(), jobA));
    var claimed = new WebhookDeliveries(api.db()).claimDue(now(), 10, Duration.ofMinutes(1),
        WEBHOOK_DELIVERIES.ACCOUNT_ID.eq(t.id()));
    assertThat(claimed).hasSize(1);
    assertThat(claimed.get(0).toString()).doesNotContain(secret);
    assertThat(deliveryLog(sub).toString()).doesNotContain(secret);
  }

  // ---- Retry-After -----------------------------------------------------------------------------

  /**
   * How long after a first attempt that the receiver answered with this status and Retry-After the
   * worker attempts the delivery again: it does not a second before, and does then.
   */
  Duration waitAfter(String path, int status, String retryAfter) {
    JsonNode sub = subscribe(path, List.of("job.run.started"), List.of(), true);
    receiver.answer(path, status, 200);
    if (retryAfter != null) {
      receiver.headers(path, Map.of("Retry-After", retryAfter));
    }
    history.record(running(uid(), jobA));
    WebhookDeliveryWorker worker = worker(Duration.ofSeconds(5));
    Instant answered = clock.instant();
    assertThat(worker.deliverDue()).isEqualTo(1);
    Instant next = api.db().dsl().select(WEBHOOK_DELIVERIES.NEXT_ATTEMPT_AT).from(WEBHOOK_DELIVERIES)
        .where(WEBHOOK_DELIVERIES.ACCOUNT_ID.eq(t.id()), WEBHOOK_DELIVERIES.STATUS.eq("pending"))
        .fetchOne().value1().toInstant();
    Duration wait = Duration.between(answered, next);
    clock.advance(wait.minusSeconds(1));
    assertThat(worker.deliverDue()).isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(worker.deliverDue()).isEqualTo(1);
    assertThat(receiver.received(path)).hasSize(2);
    api.delete(t, t.v3() + "/webhooks/subscription/" + sub.get("id").asText()).expect(200); // out of the next one's way
    return wait;
  }

  @Test
  void aRetryAfterLongerThanTheBackoffOnA429OrA503PutsTheNextAttemptOff() {
    assertThat(waitAfter("/busy-seconds", 429, "300")).isEqualTo(Duration.ofMinutes(5));
    Instant now = clock.instant();
    Instant inTwentyMinutes = now.plus(Duration.ofMinutes(20)).truncatedTo(ChronoUnit.SECONDS);
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(inTwentyMinutes.atZone(ZoneOffset.UTC));
    assertThat(waitAfter("/busy-date", 503, date)).isEqualTo(Duration.between(now, inTwentyMinutes));
  }

  @Test
  void aRetryAfterNeverMakesTheNextAttemptSoonerThanTheBackoffNorLaterThanAnHour() {
    Duration backoff = Duration.ofMinutes(1);
    assertThat(waitAfter("/hasty", 429, "5")).isEqualTo(backoff);
    assertThat(waitAfter("/past-date", 503, "Thu, 01 Jan 1970 00:00:00 GMT")).isEqualTo(backoff);
    assertThat(waitAfter("/greedy", 503, "86400")).isEqualTo(Duration.ofHours(1));
    assertThat(waitAfter("/unreadable", 429, "in a while")).isEqualTo(backoff);
    // only 429 and 503 may ask to wait: on a 500 the header is ignored
    assertThat(waitAfter("/not-asking", 500, "600")).isEqualTo(backoff);
  }

  // ---- metrics ---------------------------------------------------------------------------------

  double deliveries(String event, String outcome) {
    var counter = api.registry().find(WebhookMetrics.DELIVERIES).tags("event", event, "outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  long timed(String event, String outcome) {
    var timer = api.registry().find(WebhookMetrics.DURATION).tags("event", event, "outcome", outcome).timer();
    return timer == null ? 0 : timer.count();
  }

  @Test
  void eachAttemptIsCountedAndTimedByEventAndOutcome() {
    subscribe("/counted", List.of("job.run.started"), List.of(), true);
    receiver.answer("/counted", 503, 200);
    subscribe("/counted-refusing", List.of("job.run.started"), List.of(), true);
    receiver.answer("/counted-refusing", 404);
    double retrying = deliveries("job.run.started", "retrying");
    double delivered = deliveries("job.run.started", "delivered");
    double failed = deliveries("job.run.started", "failed");
    long timedDelivered = timed("job.run.started", "delivered");

    history.record(running(uid(), jobA));
    WebhookDeliveryWorker worker = worker(Duration.ofSeconds(5));
    assertThat(worker.deliverDue()).isEqualTo(2); // 503 (retrying) and 404 (failed)
    assertThat(deliveries("job.run.started", "retrying")).isEqualTo(retrying + 1);
    assertThat(deliveries("job.run.started", "failed")).isEqualTo(failed + 1);
    assertThat(deliveries("job.run.started", "delivered")).isEqualTo(delivered);
    clock.advance(Duration.ofMinutes(1));
    assertThat(worker.deliverDue()).isEqualTo(1);
    assertThat(deliveries("job.run.started", "delivered")).isEqualTo(delivered + 1);
    assertThat(timed("job.run.started", "delivered")).isEqualTo(timedDelivered + 1);

    // on the registry the API serves, under the names the README gives
    String scraped = api.send("GET", "/metrics", null, null).raw();
    assertThat(scraped).contains("dbt_platform_webhook_deliveries_total{event=\"job.run.started\",outcome=\"delivered\"}")
        .contains("dbt_platform_webhook_delivery_seconds_count{event=\"job.run.started\",outcome=\"retrying\"}")
        .contains("dbt_platform_api_requests_seconds");
  }

  // ---- retention of the delivery log -----------------------------------------------------------

  int logSize(JsonNode subscription) {
    return deliveryLog(subscription).at("/extra/pagination/total_count").asInt();
  }

  @Test
  void finishedDeliveriesOlderThanTheRetentionLeaveTheLogAndPendingOnesStay() {
    JsonNode ok = subscribe("/kept-ok", List.of("job.run.started"), List.of(), true);
    JsonNode refusing = subscribe("/kept-refusing", List.of("job.run.started"), List.of(), true);
    receiver.answer("/kept-refusing", 410);
    JsonNode down = subscribe("/kept-down", List.of("job.run.started"), List.of(), true);
    receiver.answer("/kept-down", 500);
    JsonNode off = subscribe("/kept-off", List.of("job.run.started"), List.of(), true);
    history.record(running(uid(), jobA));
    api.db().dsl().update(dev.dbtplatform.api.db.generated.Tables.WEBHOOK_SUBSCRIPTIONS)
        .set(dev.dbtplatform.api.db.generated.Tables.WEBHOOK_SUBSCRIPTIONS.ACTIVE, false)
        .where(dev.dbtplatform.api.db.generated.Tables.WEBHOOK_SUBSCRIPTIONS.PUBLIC_ID.eq(off.get("id").asText()))
        .execute();
    WebhookDeliveryWorker worker = worker(WebhookDeliverySettings.defaults().withRetention(Duration.ofDays(30))
        .withMaxAttempts(50), clock);
    assertThat(worker.deliverDue()).isEqualTo(3); // delivered, failed (410), pending (500); the inactive one skipped

    clock.advance(Duration.ofDays(29));
    history.record(running(uid(), jobA)); // a newer run: its deliveries are 29 days younger
    while (worker.deliverDue() > 0) {
      // until nothing is due; the 500s stay pending with a retry ahead
    }
    assertThat(worker.pruneFinished()).isZero();
    assertThat(logSize(ok)).isEqualTo(2);

    clock.advance(Duration.ofDays(2)); // the first run's deliveries are 31 days old, the second's 2
    assertThat(worker.pruneFinished()).isEqualTo(3); // delivered, failed and skipped
    assertThat(logSize(ok)).isEqualTo(1);
    assertThat(logSize(refusing)).isEqualTo(1);
    assertThat(logSize(off)).isZero();
    assertThat(logSize(down)).isEqualTo(2); // still being retried, however old
    assertThat(deliveryLog(down).get("data").findValuesAsText("status")).containsOnly("pending");
    assertThat(deliveryLog(ok).at("/data/0/attempt_log")).hasSize(1);
    assertThat(worker.pruneFinished()).isZero();
  }

  @Test
  void theWorkerPrunesAtItsFirstPollThenHourlyAndNeverWithoutARetention() {
    JsonNode sub = subscribe("/pruned-hourly", List.of("job.run.started"), List.of(), true);
    WebhookDeliverySettings settings = WebhookDeliverySettings.defaults().withRetention(Duration.ofDays(1));
    WebhookDeliveryWorker pruning = worker(settings, clock);
    WebhookDeliveryWorker keeping = worker(settings.withRetention(Duration.ZERO), clock);
    history.record(running(uid(), jobA)); // A
    pruning.poll(); // delivers A, prunes: nothing is a day old
    assertThat(logSize(sub)).isEqualTo(1);

    clock.advance(Duration.ofHours(25));
    history.record(running(uid(), jobA)); // B
    pruning.poll(); // delivers B, prunes A
    assertThat(logSize(sub)).isEqualTo(1);

    clock.advance(Duration.ofMinutes(23 * 60 + 30));
    history.record(running(uid(), jobA)); // C
    pruning.poll(); // delivers C, prunes: B is 23.5 hours old
    assertThat(logSize(sub)).isEqualTo(2);
    clock.advance(Duration.ofMinutes(40)); // B is over a day old, but the last prune was 40 minutes ago
    pruning.poll();
    assertThat(logSize(sub)).isEqualTo(2);
    clock.advance(Duration.ofMinutes(20));
    keeping.poll();
    assertThat(logSize(sub)).isEqualTo(2);
    pruning.poll(); // an hour since the last prune
    assertThat(logSize(sub)).isEqualTo(1);
  }

  // ---- secrets at rest -------------------------------------------------------------------------

  void storeSecret(JsonNode subscription, String stored) {
    var table = dev.dbtplatform.api.db.generated.Tables.WEBHOOK_SUBSCRIPTIONS;
    api.db().dsl().update(table).set(table.HMAC_SECRET, stored)
        .where(table.PUBLIC_ID.eq(subscription.get("id").asText())).execute();
  }

  String storedSecret(JsonNode subscription) {
    var table = dev.dbtplatform.api.db.generated.Tables.WEBHOOK_SUBSCRIPTIONS;
    return api.db().dsl().select(table.HMAC_SECRET).from(table)
        .where(table.PUBLIC_ID.eq(subscription.get("id").asText())).fetchOne().value1();
  }

  @Test
  void aSecretSealedWithAnotherKeyFailsItsDeliveryWithAMessageAndTheOthersGoOut() throws Exception {
    JsonNode foreign = subscribe("/foreign-key", List.of("job.run.started"), List.of(), true);
    JsonNode fine = subscribe("/own-key", List.of("job.run.started"), List.of(), true);
    byte[] otherKey = new byte[32];
    otherKey[0] = 7;
    storeSecret(foreign, WebhookSecrets.withKey(otherKey).seal(foreign.get("hmac_secret").asText()));
    history.record(running(uid(), jobA));

    WebhookDeliveryWorker worker = worker(WebhookDeliverySettings.defaults().withMaxAttempts(1), clock);
    assertThat(worker.deliverDue()).isEqualTo(2);
    assertThat(receiver.received("/foreign-key")).isEmpty();
    List<TestReceiver.Received> got = receiver.received("/own-key");
    assertThat(got).hasSize(1);
    assertThat(got.get(0).authorization()).isEqualTo(hmacHex(fine.get("hmac_secret").asText(), got.get(0).body()));
    JsonNode d = deliveryLog(foreign).at("/data/0");
    assertThat(d.get("status").asText()).isEqualTo("failed");
    assertThat(d.get("last_status_code").isNull()).isTrue();
    assertThat(d.get("last_error").asText()).startsWith("cannot sign:").contains("DBT_PLATFORM_SECRET_KEY");
    assertThat(d.at("/attempt_log/0/error").asText()).contains("another DBT_PLATFORM_SECRET_KEY");
  }

  @Test
  void secretsStoredPlainStillSignAndAreSealedOnceTheServerHasAKey() throws Exception {
    JsonNode legacy = subscribe("/legacy", List.of("job.run.started"), List.of(), true);
    JsonNode marked = subscribe("/marked-plain", List.of("job.run.started"), List.of(), true);
    String legacySecret = legacy.get("hmac_secret").asText();
    String markedSecret = marked.get("hmac_secret").asText();
    storeSecret(legacy, legacySecret); // as the rows written before secrets were encrypted
    storeSecret(marked, WebhookSecrets.unencrypted().seal(markedSecret)); // by a server without a key
    assertThat(storedSecret(marked)).isEqualTo("plain:" + markedSecret);

    history.record(running(uid(), jobA));
    assertThat(worker(Duration.ofSeconds(5)).deliverDue()).isEqualTo(2);
    TestReceiver.Received toLegacy = receiver.received("/legacy").get(0);
    TestReceiver.Received toMarked = receiver.received("/marked-plain").get(0);
    assertThat(toLegacy.authorization()).isEqualTo(hmacHex(legacySecret, toLegacy.body()));
    assertThat(toMarked.authorization()).isEqualTo(hmacHex(markedSecret, toMarked.body()));

    // the server started with a key seals them; they sign as before
    assertThat(new WebhookSubscriptions(api.db(), clock, api.webhookSecrets()).sealPlainSecrets())
        .isGreaterThanOrEqualTo(2);
    assertThat(storedSecret(legacy)).startsWith("v1:").doesNotContain(legacySecret);
    assertThat(storedSecret(marked)).startsWith("v1:").doesNotContain(markedSecret);
    clock.advance(Duration.ofSeconds(30));
    history.record(finished(uid(), jobA, RunStatus.SUCCESS));
    assertThat(worker(Duration.ofSeconds(5)).deliverDue()).isEqualTo(2);
    TestReceiver.Received again = receiver.received("/legacy").get(1);
    assertThat(again.authorization()).isEqualTo(hmacHex(legacySecret, again.body()));
    // without a key nothing is sealed
    storeSecret(marked, "plain:" + markedSecret);
    assertThat(new WebhookSubscriptions(api.db(), clock, WebhookSecrets.unencrypted()).sealPlainSecrets()).isZero();
    assertThat(storedSecret(marked)).isEqualTo("plain:" + markedSecret);
  }
}
