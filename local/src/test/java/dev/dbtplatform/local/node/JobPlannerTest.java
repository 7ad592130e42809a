package dev.dbtplatform.local.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobPlannerTest {
  private static final Duration BASE = Duration.ofSeconds(10);
  private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

  @Test
  void backoffDoublesFromTheBaseAndIsCapped() {
    assertThat(JobPlanner.backoff(BASE, 0)).isEqualTo(Duration.ZERO);
    assertThat(JobPlanner.backoff(BASE, 1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(JobPlanner.backoff(BASE, 2)).isEqualTo(Duration.ofSeconds(20));
    assertThat(JobPlanner.backoff(BASE, 3)).isEqualTo(Duration.ofSeconds(40));
    assertThat(JobPlanner.backoff(BASE, 30)).isEqualTo(Duration.ofMinutes(6));
  }

  @Test
  void createsOnePodAtATime() {
    JobSpec spec = new JobSpecBuilder().build();
    assertThat(JobPlanner.decide(spec, START, new JobPlanner.Counts(0, 0, 0, null), BASE, START))
        .isInstanceOf(JobPlanner.CreatePod.class);
    assertThat(JobPlanner.decide(spec, START, new JobPlanner.Counts(1, 0, 0, null), BASE, START))
        .isEqualTo(new JobPlanner.Wait(null));
    assertThat(JobPlanner.decide(spec, START, new JobPlanner.Counts(0, 1, 0, null), BASE, START))
        .isInstanceOf(JobPlanner.Complete.class);
  }

  @Test
  void retriesAfterBackoffUntilTheLimit() {
    JobSpec spec = new JobSpecBuilder().withBackoffLimit(2).build();
    Instant failedAt = START.plusSeconds(5);
    assertThat(JobPlanner.decide(spec, START, new JobPlanner.Counts(0, 0, 2, failedAt), BASE, failedAt.plusSeconds(1)))
        .isEqualTo(new JobPlanner.Wait(failedAt.plusSeconds(20)));
    assertThat(JobPlanner.decide(spec, START, new JobPlanner.Counts(0, 0, 2, failedAt), BASE, failedAt.plusSeconds(20)))
        .isInstanceOf(JobPlanner.CreatePod.class);
    assertThat(JobPlanner.decide(spec, START, new JobPlanner.Counts(0, 0, 3, failedAt), BASE, failedAt))
        .isEqualTo(new JobPlanner.Fail("BackoffLimitExceeded", "Job has reached the specified backoff limit"));
  }

  @Test
  void activeDeadlineFailsTheJob() {
    JobSpec spec = new JobSpecBuilder().withActiveDeadlineSeconds(30L).build();
    assertThat(JobPlanner.decide(spec, START, new JobPlanner.Counts(1, 0, 0, null), BASE, START.plusSeconds(10)))
        .isEqualTo(new JobPlanner.Wait(START.plusSeconds(30)));
    assertThat(JobPlanner.decide(spec, START, new JobPlanner.Counts(1, 0, 0, null), BASE, START.plusSeconds(30)))
        .isInstanceOf(JobPlanner.Fail.class)
        .extracting(d -> ((JobPlanner.Fail) d).reason()).isEqualTo("DeadlineExceeded");
  }

  @Test
  void completionsRunSequentially() {
    JobSpec spec = new JobSpecBuilder().withCompletions(2).withParallelism(5).build();
    assertThat(JobPlanner.decide(spec, START, new JobPlanner.Counts(0, 1, 0, null), BASE, START))
        .isInstanceOf(JobPlanner.CreatePod.class);
    assertThat(JobPlanner.decide(spec, START, new JobPlanner.Counts(1, 1, 0, null), BASE, START))
        .isInstanceOf(JobPlanner.Wait.class);
    assertThat(JobPlanner.decide(spec, START, new JobPlanner.Counts(0, 2, 0, null), BASE, START))
        .isInstanceOf(JobPlanner.Complete.class);
  }
}
