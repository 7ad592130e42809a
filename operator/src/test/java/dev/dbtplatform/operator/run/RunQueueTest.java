package dev.dbtplatform.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunSpec;
import dev.dbtplatform.crd.DbtRunStatus;
import dev.dbtplatform.crd.ObjectRef;
import dev.dbtplatform.crd.ResolvedRun;
import dev.dbtplatform.crd.RunPhase;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The queueing rules on their own, from hand-made views of runs. */
class RunQueueTest {
  private final RunQueue noSlots = new RunQueue(0);

  @Test
  void aRunWithoutJobOrSlotLimitIsNeverHeldBack() {
    DbtRun inline = run("inline", 1, null, "a", null, RunPhase.Queued);
    assertThat(noSlots.appliesTo(inline)).isFalse();
    assertThat(new RunQueue(1).appliesTo(inline)).isTrue();
  }

  @Test
  void aRunWaitsForAStartedRunOfItsJobWhateverItsAge() {
    DbtRun mine = run("b", 10, "nightly", "a", null, RunPhase.Queued);
    DbtRun running = run("c", 10, "nightly", "a", null, RunPhase.Running);
    Turn turn = noSlots.turnOf(mine, List.of(running));
    assertThat(turn).isEqualTo(new Turn.Wait(RunQueue.WAITING_FOR_PREVIOUS_RUN,
        "waiting for run c of job nightly to go first: runs of a job run one at a time"));
  }

  @Test
  void aRunWaitsBehindAnOlderQueuedRunOfItsJobButNotANewerOne() {
    DbtRun older = run("r1", 1, "nightly", "a", null, RunPhase.Queued);
    DbtRun mine = run("r2", 2, "nightly", "a", null, RunPhase.Queued);
    DbtRun newer = run("r3", 3, "nightly", "a", null, RunPhase.Queued);
    assertThat(noSlots.turnOf(mine, List.of(older, newer))).isInstanceOf(Turn.Wait.class);
    assertThat(noSlots.turnOf(older, List.of(mine, newer))).isEqualTo(new Turn.Go());
  }

  @Test
  void sameSecondRunsAreOrderedByName() {
    DbtRun a = run("a", 5, "nightly", "acct", null, RunPhase.Queued);
    DbtRun b = run("b", 5, "nightly", "acct", null, RunPhase.Queued);
    assertThat(noSlots.turnOf(a, List.of(b))).isEqualTo(new Turn.Go());
    assertThat(noSlots.turnOf(b, List.of(a))).isInstanceOf(Turn.Wait.class);
  }

  @Test
  void finishedRunsOtherJobsOtherNamespacesAndCancelledQueuedRunsDoNotHoldARunBack() {
    DbtRun mine = run("mine", 5, "nightly", "a", null, RunPhase.Queued);
    DbtRun done = run("done", 1, "nightly", "a", null, RunPhase.Succeeded);
    DbtRun otherJob = run("other", 1, "hourly", "a", null, RunPhase.Running);
    DbtRun otherNamespace = run("elsewhere", 1, "nightly", "a", null, RunPhase.Running);
    otherNamespace.getMetadata().setNamespace("team-b");
    DbtRun cancelled = run("cancelled", 1, "nightly", "a", null, RunPhase.Queued);
    cancelled.getSpec().cancel = true;
    DbtRun unresolved = run("unresolved", 1, "nightly", "a", null, RunPhase.Queued);
    unresolved.getStatus().resolved = null;
    DbtRun staleSelf = run("mine", 5, "nightly", "a", null, RunPhase.Queued);
    assertThat(noSlots.turnOf(mine, List.of(done, otherJob, otherNamespace, cancelled, unresolved, staleSelf)))
        .isEqualTo(new Turn.Go());
  }

  @Test
  void aNewerScheduledRunSupersedesAnOlderQueuedScheduledRun() {
    DbtRun running = run("s1", 1, "nightly", "a", DbtRunSpec.ReasonCategory.scheduled, RunPhase.Running);
    DbtRun middle = run("s2", 2, "nightly", "a", DbtRunSpec.ReasonCategory.scheduled, RunPhase.Queued);
    DbtRun newest = run("s3", 3, "nightly", "a", DbtRunSpec.ReasonCategory.scheduled, RunPhase.Queued);
    assertThat(noSlots.turnOf(middle, List.of(running, newest))).isEqualTo(new Turn.Superseded("s3", "nightly"));
    assertThat(noSlots.turnOf(newest, List.of(running, middle))).isInstanceOf(Turn.Wait.class);
  }

  @Test
  void onlyScheduledRunsSupersedeAndAreSuperseded() {
    DbtRun running = run("s1", 1, "nightly", "a", DbtRunSpec.ReasonCategory.scheduled, RunPhase.Running);
    DbtRun api = run("api", 2, "nightly", "a", DbtRunSpec.ReasonCategory.api, RunPhase.Queued);
    DbtRun scheduled = run("s3", 3, "nightly", "a", DbtRunSpec.ReasonCategory.scheduled, RunPhase.Queued);
    DbtRun retry = run("retry", 4, "nightly", "a", DbtRunSpec.ReasonCategory.retry, RunPhase.Queued);
    assertThat(noSlots.turnOf(api, List.of(running, scheduled, retry))).isInstanceOf(Turn.Wait.class);
    assertThat(noSlots.turnOf(scheduled, List.of(running, api, retry))).isInstanceOf(Turn.Wait.class);
  }

  @Test
  void runSlotsHoldBackRunsOfTheAccountBeyondTheLimitOldestFirst() {
    RunQueue oneSlot = new RunQueue(1);
    DbtRun running = run("x", 1, "hourly", "a", null, RunPhase.Running);
    DbtRun mine = run("y", 2, "nightly", "a", null, RunPhase.Queued);
    DbtRun otherAccount = run("z", 2, "daily", "b", null, RunPhase.Queued);
    assertThat(oneSlot.turnOf(mine, List.of(running))).isEqualTo(new Turn.Wait(RunQueue.WAITING_FOR_RUN_SLOT,
        "waiting for a run slot: account a runs at most 1 at a time, 1 ahead of this one"));
    assertThat(oneSlot.turnOf(otherAccount, List.of(running, mine))).isEqualTo(new Turn.Go());

    DbtRun older = run("w", 1, "daily", "a", null, RunPhase.Queued);
    assertThat(oneSlot.turnOf(mine, List.of(older))).isInstanceOf(Turn.Wait.class);
    assertThat(oneSlot.turnOf(older, List.of(mine))).isEqualTo(new Turn.Go());
  }

  @Test
  void aQueuedRunHeldBackByItsOwnJobDoesNotTakeASlotAhead() {
    RunQueue twoSlots = new RunQueue(2);
    DbtRun running = run("j1", 1, "nightly", "a", null, RunPhase.Running);
    DbtRun blocked = run("j2", 2, "nightly", "a", null, RunPhase.Queued);
    DbtRun mine = run("k1", 3, "hourly", "a", null, RunPhase.Queued);
    assertThat(twoSlots.turnOf(mine, List.of(running, blocked))).isEqualTo(new Turn.Go());
    assertThat(new RunQueue(1).turnOf(mine, List.of(running, blocked))).isInstanceOf(Turn.Wait.class);
  }

  static DbtRun run(String name, int createdSecond, String job, String account,
                    DbtRunSpec.ReasonCategory category, RunPhase phase) {
    DbtRunSpec spec = new DbtRunSpec();
    spec.jobRef = job == null ? null : ObjectRef.named(job);
    spec.runReasonCategory = category;
    DbtRun run = new DbtRun("default", name, spec);
    run.getMetadata().setCreationTimestamp(String.format("2025-01-01T00:00:%02dZ", createdSecond));
    run.setStatus(new DbtRunStatus());
    run.getStatus().phase = phase;
    run.getStatus().resolved = new ResolvedRun();
    run.getStatus().resolved.jobName = job;
    run.getStatus().resolved.accountId = account;
    return run;
  }
}
