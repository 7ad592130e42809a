package dev.dbtplatform.operator.run;

import static dev.dbtplatform.operator.run.RunResolverTest.runOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dbtplatform.crd.DbtJobSpec;
import dev.dbtplatform.crd.DbtJobStatus;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.JobDeferral;
import dev.dbtplatform.crd.ObjectRef;
import dev.dbtplatform.crd.ResolvedRun;
import dev.dbtplatform.crd.SuccessfulRun;
import org.junit.jupiter.api.Test;

/** How a run resolves its job's checkbox steps and the state it defers to. */
class JobOptionsResolutionTest {
  final RunResolverTest fixture = new RunResolverTest();

  @Test
  void checkboxStepsComeFromTheJobUnlessTheRunOverridesThem() {
    DbtJobSpec job = fixture.job("nightly");
    ResolvedRun plain = fixture.resolved(runOf("nightly"));
    assertThat(plain.generateDocs).isFalse();
    assertThat(plain.runGenerateSources).isFalse();

    job.generateDocs = true;
    job.runGenerateSources = true;
    ResolvedRun fromJob = fixture.resolved(runOf("nightly"));
    assertThat(fromJob.generateDocs).isTrue();
    assertThat(fromJob.runGenerateSources).isTrue();
    assertThat(fromJob.steps).as("the listed steps stay as listed").containsExactly("dbt seed", "dbt build");

    DbtRun overriding = runOf("nightly");
    overriding.getSpec().generateDocs = false;
    ResolvedRun overridden = fixture.resolved(overriding);
    assertThat(overridden.generateDocs).isFalse();
    assertThat(overridden.runGenerateSources).isTrue();
  }

  @Test
  void aJobDefersToTheLastSavedSuccessOfTheJobItNames() {
    fixture.job("nightly");
    DbtJobSpec ci = fixture.job("ci");
    ci.deferral = deferTo("nightly", null);

    ResolvedRun before = fixture.resolved(runOf("ci"));
    assertThat(before.deferral.run).as("nothing succeeded yet: no state, the run goes without").isNull();
    assertThat(before.deferral.description).isEqualTo("DbtJob 'nightly', which has no successful run with saved artifacts yet");

    succeeded("nightly", "nightly-202611240200", "2026-11-24T02:05:00Z");
    ResolvedRun after = fixture.resolved(runOf("ci"));
    assertThat(after.deferral.run.name).isEqualTo("nightly-202611240200");
    assertThat(after.deferral.run.bucket).isEqualTo("logs");
    assertThat(after.deferral.run.prefix).isEqualTo("accounts/1/namespaces/default/runs/nightly-202611240200/uid/");
    assertThat(after.deferral.description).isEqualTo("the last successful run nightly-202611240200 of DbtJob 'nightly'");
  }

  @Test
  void aJobDefersToTheNewestSavedSuccessInTheEnvironmentItNames() {
    fixture.job("nightly");
    fixture.job("hourly");
    DbtJobSpec ci = fixture.job("ci");
    ci.deferral = deferTo(null, "prod");
    succeeded("nightly", "nightly-202611240200", "2026-11-24T02:05:00Z");
    succeeded("hourly", "hourly-202611240300", "2026-11-24T03:01:00Z");

    ResolvedRun r = fixture.resolved(runOf("ci"));

    assertThat(r.deferral.run.name).isEqualTo("hourly-202611240300");
    assertThat(r.deferral.description).isEqualTo(
        "the last successful run hourly-202611240300 in DbtEnvironment 'prod' (of DbtJob 'hourly')");
  }

  @Test
  void aDeferralToSomethingMissingWaitsForIt() {
    DbtJobSpec ci = fixture.job("ci");
    ci.deferral = deferTo("no-such-job", null);
    Resolution waiting = fixture.resolver.resolve(runOf("ci"));
    assertThat(waiting).isInstanceOf(Resolution.Waiting.class);
    assertThat(((Resolution.Waiting) waiting).message()).contains("DbtJob 'no-such-job' (spec.deferral.jobRef of DbtJob 'ci')");

    ci.deferral = deferTo(null, "staging");
    Resolution alsoWaiting = fixture.resolver.resolve(runOf("ci"));
    assertThat(alsoWaiting).isInstanceOf(Resolution.Waiting.class);
  }

  @Test
  void aJobWithoutDeferralResolvesNone() {
    fixture.job("nightly");
    assertThat(fixture.resolved(runOf("nightly")).deferral).isNull();
  }

  private void succeeded(String job, String run, String finishedAt) {
    DbtJobStatus status = new DbtJobStatus();
    status.lastSuccessfulRun = new SuccessfulRun(run, finishedAt, "logs",
        "accounts/1/namespaces/default/runs/" + run + "/uid/");
    fixture.jobs.get(job).setStatus(status);
  }

  private static JobDeferral deferTo(String job, String environment) {
    JobDeferral deferral = new JobDeferral();
    deferral.jobRef = job == null ? null : ObjectRef.named(job);
    deferral.environmentRef = environment == null ? null : ObjectRef.named(environment);
    return deferral;
  }
}
