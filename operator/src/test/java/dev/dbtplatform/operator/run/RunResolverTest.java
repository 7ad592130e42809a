package dev.dbtplatform.operator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.crd.DbtEnvironment;
import dev.dbtplatform.crd.DbtEnvironmentSpec;
import dev.dbtplatform.crd.DbtJob;
import dev.dbtplatform.crd.DbtJobSpec;
import dev.dbtplatform.crd.DbtProject;
import dev.dbtplatform.crd.DbtProjectSpec;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunSpec;
import dev.dbtplatform.crd.EnvVarSpec;
import dev.dbtplatform.crd.GitSource;
import dev.dbtplatform.crd.ObjectRef;
import dev.dbtplatform.crd.ResolvedRun;
import dev.dbtplatform.crd.WarehouseConnection;
import dev.dbtplatform.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * How a run that names a DbtJob is resolved: the run's own fields win over the job's, which win
 * over the environment's; a job that does not exist yet is waited for.
 */
class RunResolverTest {
  static final String NS = "default";

  final Map<String, DbtProject> projects = new HashMap<>();
  final Map<String, DbtEnvironment> environments = new HashMap<>();
  final Map<String, DbtJob> jobs = new HashMap<>();
  final RunResolver resolver = new RunResolver(OperatorConfig.defaults(),
      lookup(projects), lookup(environments), lookup(jobs), ns -> List.copyOf(jobs.values()), Clock.systemUTC());

  RunResolverTest() {
    DbtProject project = new DbtProject();
    project.getMetadata().setName("shop");
    project.setSpec(new DbtProjectSpec());
    project.getSpec().git = new GitSource();
    project.getSpec().git.url = "https://git.example.com/shop.git";
    projects.put("shop", project);

    DbtEnvironment environment = new DbtEnvironment();
    environment.getMetadata().setName("prod");
    environment.setSpec(new DbtEnvironmentSpec());
    environment.getSpec().projectRef = ObjectRef.named("shop");
    environment.getSpec().warehouse = new WarehouseConnection("postgres", "warehouse-credentials");
    environment.getSpec().targetName = "prod";
    environment.getSpec().threads = 8;
    environment.getSpec().env = List.of(new EnvVarSpec("DBT_REGION", "eu"), new EnvVarSpec("DBT_MODE", "environment"));
    environments.put("prod", environment);
  }

  @Test
  void aRunOfAJobTakesTheJobsStepsSettingsAndEnvironment() {
    DbtJobSpec job = job("nightly");
    job.threads = 2;
    job.targetName = "nightly";
    job.timeoutSeconds = 900L;
    job.env = List.of(new EnvVarSpec("DBT_MODE", "job"), new EnvVarSpec("DBT_FULL_REFRESH", "false"));

    ResolvedRun r = resolved(runOf("nightly"));

    assertThat(r.jobName).isEqualTo("nightly");
    assertThat(r.environmentName).isEqualTo("prod");
    assertThat(r.projectName).isEqualTo("shop");
    assertThat(r.gitUrl).isEqualTo("https://git.example.com/shop.git");
    assertThat(r.steps).containsExactly("dbt seed", "dbt build");
    assertThat(r.threads).isEqualTo(2);
    assertThat(r.target).isEqualTo("nightly");
    assertThat(r.timeoutSeconds).isEqualTo(900L);
    assertThat(r.env).extracting(v -> v.name, v -> v.value).containsExactly(
        tuple("DBT_REGION", "eu"), tuple("DBT_MODE", "job"), tuple("DBT_FULL_REFRESH", "false"));
  }

  @Test
  void whatTheJobLeavesOutComesFromTheEnvironment() {
    job("nightly");

    ResolvedRun r = resolved(runOf("nightly"));

    assertThat(r.threads).isEqualTo(8);
    assertThat(r.target).isEqualTo("prod");
    assertThat(r.timeoutSeconds).isZero();
    assertThat(r.env).extracting(v -> v.name, v -> v.value)
        .containsExactly(tuple("DBT_REGION", "eu"), tuple("DBT_MODE", "environment"));
  }

  @Test
  void theRunsOwnFieldsOverrideTheJobs() {
    DbtJobSpec job = job("nightly");
    job.threads = 2;
    job.targetName = "nightly";
    job.timeoutSeconds = 900L;
    job.env = List.of(new EnvVarSpec("DBT_MODE", "job"));
    DbtRun run = runOf("nightly");
    run.getSpec().steps = List.of("dbt run --select orders");
    run.getSpec().threads = 16;
    run.getSpec().target = "ci";
    run.getSpec().timeoutSeconds = 0L;
    run.getSpec().env = List.of(new EnvVarSpec("DBT_MODE", "run"));

    ResolvedRun r = resolved(run);

    assertThat(r.steps).as("a run with steps runs only its own").containsExactly("dbt run --select orders");
    assertThat(r.threads).isEqualTo(16);
    assertThat(r.target).isEqualTo("ci");
    assertThat(r.timeoutSeconds).as("0 on the run lifts the job's limit").isZero();
    assertThat(r.env).extracting(v -> v.name, v -> v.value)
        .containsExactly(tuple("DBT_REGION", "eu"), tuple("DBT_MODE", "run"));
  }

  @Test
  void theJobIdComesFromTheRunsLabelThenTheJobsThenTheJobName() {
    job("nightly");
    assertThat(resolved(runOf("nightly")).jobId).isEqualTo("nightly");

    labelled(jobs.get("nightly"), ApiGroup.JOB_ID_LABEL, "42");
    assertThat(resolved(runOf("nightly")).jobId).isEqualTo("42");

    DbtRun run = runOf("nightly");
    labelled(run, ApiGroup.JOB_ID_LABEL, "43");
    assertThat(resolved(run).jobId).isEqualTo("43");
  }

  @Test
  void aRunMayRepeatItsJobsEnvironmentButNotNameAnother() {
    job("nightly");
    DbtRun same = runOf("nightly");
    same.getSpec().environmentRef = ObjectRef.named("prod");
    assertThat(resolved(same).environmentName).isEqualTo("prod");

    DbtRun other = runOf("nightly");
    other.getSpec().environmentRef = ObjectRef.named("staging");
    assertThat(invalid(other)).contains(
        "spec.environmentRef 'staging' differs from the environment 'prod' of DbtJob 'nightly'; leave environmentRef out when jobRef is set");
  }

  @Test
  void aMissingJobIsWaitedFor() {
    Resolution resolution = resolver.resolve(runOf("nightly"));
    assertThat(resolution).isEqualTo(new Resolution.Waiting("DbtJob 'nightly' not found in namespace default"));
  }

  @Test
  void theEnvironmentOfAJobIsWaitedFor() {
    job("nightly").environmentRef = ObjectRef.named("later");
    assertThat(resolver.resolve(runOf("nightly")))
        .isEqualTo(new Resolution.Waiting("DbtEnvironment 'later' not found in namespace default"));
  }

  @Test
  void aJobsStepsAreCheckedLikeARunsAndNamedAsTheJobs() {
    job("nightly").steps = List.of("dbt build", "ls");
    assertThat(invalid(runOf("nightly"))).contains("DbtJob 'nightly' spec.steps[1] 'ls' is not a dbt command");

    job("empty").steps = List.of();
    assertThat(invalid(runOf("empty"))).contains("DbtJob 'empty' spec.steps is empty");
  }

  @Test
  void aJobWithoutEnvironmentIsInvalid() {
    job("nightly").environmentRef = null;
    assertThat(invalid(runOf("nightly"))).contains("DbtJob 'nightly' has no environmentRef");
  }

  @Test
  void aRunWithoutJobResolvesAsItAlwaysDid() {
    DbtRunSpec spec = new DbtRunSpec();
    spec.environmentRef = ObjectRef.named("prod");
    spec.steps = List.of("dbt build");
    ResolvedRun r = resolved(new DbtRun(NS, "run-1", spec));
    assertThat(r.jobName).isNull();
    assertThat(r.jobId).isNull();
    assertThat(r.steps).containsExactly("dbt build");
    assertThat(r.threads).isEqualTo(8);
    assertThat(r.timeoutSeconds).isZero();
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** A job in the prod environment with two steps, registered under its name. */
  DbtJobSpec job(String name) {
    DbtJobSpec spec = new DbtJobSpec();
    spec.environmentRef = ObjectRef.named("prod");
    spec.steps = List.of("dbt seed", "dbt build");
    jobs.put(name, new DbtJob(NS, name, spec));
    return spec;
  }

  static DbtRun runOf(String jobName) {
    DbtRunSpec spec = new DbtRunSpec();
    spec.jobRef = ObjectRef.named(jobName);
    return new DbtRun(NS, "run-of-" + jobName, spec);
  }

  ResolvedRun resolved(DbtRun run) {
    Resolution resolution = resolver.resolve(run);
    assertThat(resolution).isInstanceOf(Resolution.Resolved.class);
    return ((Resolution.Resolved) resolution).run();
  }

  String invalid(DbtRun run) {
    Resolution resolution = resolver.resolve(run);
    assertThat(resolution).isInstanceOf(Resolution.Invalid.class);
    return ((Resolution.Invalid) resolution).message();
  }

  static void labelled(HasMetadata object, String key, String value) {
    object.getMetadata().setLabels(Map.of(key, value));
  }

  static <T> BiFunction<String, String, Optional<T>> lookup(Map<String, T> byName) {
    return (namespace, name) -> NS.equals(namespace) ? Optional.ofNullable(byName.get(name)) : Optional.empty();
  }
}
