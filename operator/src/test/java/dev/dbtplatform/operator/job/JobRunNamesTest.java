package dev.dbtplatform.operator.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobRunNamesTest {
  static final Instant FIRE = Instant.parse("2025-05-10T02:00:00Z");

  @Test
  void namesSayTheJobAndTheFire() {
    assertThat(JobRunNames.scheduled("shop-nightly", FIRE)).isEqualTo("shop-nightly-202505100200");
    assertThat(JobRunNames.triggered("shop-report", "run-42")).isEqualTo("shop-report-after-run-42");
  }

  @Test
  void longNamesAreShortenedToALabelAndStayDistinct() {
    String job = "a-very-long-job-name-that-someone-wrote-for-a-nightly-build-of-everything";
    String first = JobRunNames.scheduled(job, FIRE);
    String second = JobRunNames.scheduled(job, FIRE.plusSeconds(60));
    assertThat(first).hasSizeLessThanOrEqualTo(63).startsWith("a-very-long-job-name").isNotEqualTo(second);
    assertThat(JobRunNames.scheduled(job, FIRE)).as("deterministic").isEqualTo(first);
    assertThat(JobRunNames.triggered(job, "upstream-" + job)).hasSizeLessThanOrEqualTo(63);
  }
}
