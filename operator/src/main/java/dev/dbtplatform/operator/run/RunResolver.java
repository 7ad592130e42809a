package dev.dbtplatform.operator.run;

import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.crd.DbtEnvironment;
import dev.dbtplatform.crd.DbtEnvironmentSpec;
import dev.dbtplatform.crd.DbtJob;
import dev.dbtplatform.crd.DbtJobSpec;
import dev.dbtplatform.crd.DbtProject;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunSpec;
import dev.dbtplatform.crd.EnvVarSpec;
import dev.dbtplatform.crd.GitSource;
import dev.dbtplatform.crd.ObjectRef;
import dev.dbtplatform.crd.ResolvedRun;
import dev.dbtplatform.crd.WarehouseConnection;
import dev.dbtplatform.operator.OperatorConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Merges a run's spec with its job, environment and project into the snapshot the run executes.
 * Spec fields override the job's, which override the environment's, which override the
 * project's; env variables are merged by name in the same order. The API server validates
 * CRDs in a real cluster, but this check runs anyway: the schema can be bypassed (older CRD
 * versions, API stand-ins) and a bad run must end as InvalidSpec, never crash the operator.
 */
public final class RunResolver {
  private final OperatorConfig config;
  private final BiFunction<String, String, Optional<DbtProject>> projects;
  private final BiFunction<String, String, Optional<DbtEnvironment>> environments;
  private final BiFunction<String, String, Optional<DbtJob>> jobs;
  private final Deferrals deferrals;
  private final Clock clock;

  /** Each lookup takes a namespace and a name. */
  public RunResolver(OperatorConfig config,
                     BiFunction<String, String, Optional<DbtProject>> projects,
                     BiFunction<String, String, Optional<DbtEnvironment>> environments,
                     BiFunction<String, String, Optional<DbtJob>> jobs,
                     Function<String, List<DbtJob>> jobsInNamespace,
                     Clock clock) {
    this.config = config;
    this.projects = projects;
    this.environments = environments;
    this.jobs = jobs;
    this.deferrals = new Deferrals(jobs, environments, jobsInNamespace);
    this.clock = clock;
  }

  public Resolution resolve(DbtRun run) {
    DbtRunSpec spec = run.getSpec();
    if (spec == null) {
      return new Resolution.Invalid("spec is missing");
    }
    String namespace = run.getMetadata().getNamespace();
    List<String> problems = new ArrayList<>();

    DbtJob job = null;
    if (spec.jobRef != null) {
      if (isBlank(spec.jobRef.name)) {
        problems.add("spec.jobRef.name is empty");
      } else {
        Optional<DbtJob> found = jobs.apply(namespace, spec.jobRef.name);
        if (found.isEmpty()) {
          return new Resolution.Waiting("DbtJob '" + spec.jobRef.name + "' not found in namespace " + namespace);
        }
        job = found.get();
      }
    }
    String jobName = job == null ? null : job.getMetadata().getName();
    DbtJobSpec jobSpec = job == null ? null : job.getSpec();

    List<String> steps = stepsToRun(spec, job, problems);
    ObjectRef environmentRef = environmentRefOf(spec, job, problems);

    DbtEnvironment environment = null;
    if (environmentRef != null) {
      if (isBlank(environmentRef.name)) {
        problems.add("spec.environmentRef.name is empty");
      } else {
        Optional<DbtEnvironment> found = environments.apply(namespace, environmentRef.name);
        if (found.isEmpty()) {
          return new Resolution.Waiting("DbtEnvironment '" + environmentRef.name + "' not found in namespace " + namespace);
        }
        environment = found.get();
      }
    }
    DbtEnvironmentSpec env = environment == null ? null : environment.getSpec();
    if (environment != null && (env == null || env.projectRef == null || isBlank(env.projectRef.name))) {
      problems.add("DbtEnvironment '" + environment.getMetadata().getName() + "' has no projectRef");
    }

    String projectName = env != null && env.projectRef != null ? env.projectRef.name
        : spec.projectRef != null ? spec.projectRef.name : null;
    if (spec.projectRef != null && env != null && env.projectRef != null
        && !spec.projectRef.name.equals(env.projectRef.name)) {
      problems.add("spec.projectRef '" + spec.projectRef.name + "' differs from the environment's project '"
          + env.projectRef.name + "'; leave projectRef out when environmentRef is set");
    }
    DbtProject project = null;
    if (projectName != null && !isBlank(projectName)) {
      Optional<DbtProject> found = projects.apply(namespace, projectName);
      if (found.isEmpty()) {
        return new Resolution.Waiting("DbtProject '" + projectName + "' not found in namespace " + namespace);
      }
      project = found.get();
    }
    Deferrals.Found deferral = deferrals.resolve(job, namespace);
    if (deferral.missing() != null) {
      return new Resolution.Waiting(deferral.missing());
    }
    GitSource projectGit = project == null || project.getSpec() == null ? null : project.getSpec().git;

    ResolvedRun r = new ResolvedRun();
    r.resolvedAt = clock.instant().toString();
    r.projectName = projectName;
    r.environmentName = environment == null ? null : environment.getMetadata().getName();
    r.jobName = jobName;
    r.accountId = firstNonBlank(label(run, ApiGroup.ACCOUNT_ID_LABEL), label(job, ApiGroup.ACCOUNT_ID_LABEL),
        label(environment, ApiGroup.ACCOUNT_ID_LABEL), label(project, ApiGroup.ACCOUNT_ID_LABEL), config.defaultAccountId());
    r.projectId = firstNonBlank(label(run, ApiGroup.PROJECT_ID_LABEL), label(job, ApiGroup.PROJECT_ID_LABEL),
        label(project, ApiGroup.PROJECT_ID_LABEL), projectName);
    r.environmentId = firstNonBlank(label(run, ApiGroup.ENVIRONMENT_ID_LABEL), label(job, ApiGroup.ENVIRONMENT_ID_LABEL),
        label(environment, ApiGroup.ENVIRONMENT_ID_LABEL), r.environmentName);
    r.jobId = firstNonBlank(label(run, ApiGroup.JOB_ID_LABEL), label(job, ApiGroup.JOB_ID_LABEL), jobName);
    r.runId = firstNonBlank(label(run, ApiGroup.RUN_ID_LABEL), run.getMetadata().getName());

    GitSource runGit = spec.git;
    r.gitUrl = firstNonBlank(runGit == null ? null : runGit.url, projectGit == null ? null : projectGit.url);
    r.gitRef = firstNonBlank(runGit == null ? null : runGit.ref, env == null ? null : env.customBranch,
        projectGit == null ? null : projectGit.ref);
    r.subdirectory = firstNonBlank(runGit == null ? null : runGit.subdirectory, projectGit == null ? null : projectGit.subdirectory);
    r.gitCredentialsSecret = firstNonBlank(
        runGit == null || runGit.credentialsSecretRef == null ? null : runGit.credentialsSecretRef.name,
        projectGit == null || projectGit.credentialsSecretRef == null ? null : projectGit.credentialsSecretRef.name);
    if (isBlank(r.gitUrl)) {
      problems.add("no git repository: set spec.git.url, spec.projectRef or spec.environmentRef");
    }
    if (r.subdirectory != null && (r.subdirectory.startsWith("/") || r.subdirectory.contains(".."))) {
      problems.add("git.subdirectory must be a relative path inside the repository, got '" + r.subdirectory + "'");
    }

    r.steps = steps == null ? new ArrayList<>() : new ArrayList<>(steps);
    r.runGenerateSources = firstNonNull(spec.runGenerateSources, jobSpec == null ? null : jobSpec.runGenerateSources, false);
    r.generateDocs = firstNonNull(spec.generateDocs, jobSpec == null ? null : jobSpec.generateDocs, false);
    r.deferral = deferral.state();
    r.target = firstNonBlank(spec.target, jobSpec == null ? null : jobSpec.targetName,
        env == null ? null : env.targetName, "default");
    r.schema = spec.schema;
    r.threads = firstNonNull(spec.threads, jobSpec == null ? null : jobSpec.threads, env == null ? null : env.threads, 4);
    if (r.threads < 1 || r.threads > 64) {
      problems.add("threads must be between 1 and 64, got " + r.threads);
    }
    r.timeoutSeconds = firstNonNull(spec.timeoutSeconds, jobSpec == null ? null : jobSpec.timeoutSeconds, 0L);
    if (r.timeoutSeconds < 0) {
      problems.add("timeoutSeconds must not be negative, got " + r.timeoutSeconds);
    }
    r.env = mergeEnv(problems, env == null ? null : env.env, jobSpec == null ? null : jobSpec.env, spec.env);

    WarehouseConnection warehouse = spec.warehouse != null ? spec.warehouse : env == null ? null : env.warehouse;
    if (warehouse == null || isBlank(warehouse.type) || warehouse.secretRef == null || isBlank(warehouse.secretRef.name)) {
      problems.add("no warehouse connection: set spec.warehouse (type and secretRef) or spec.environmentRef");
    } else {
      r.adapterType = warehouse.type;
      r.warehouseSecret = warehouse.secretRef.name;
    }
    r.image = firstNonBlank(spec.image, env == null ? null : env.image,
        config.runImage(env == null ? null : env.dbtVersion));
    r.resources = spec.resources != null ? spec.resources : env == null ? null : env.resources;
    r.runReason = firstNonBlank(spec.runReason, "Triggered via kubectl");
    r.runReasonCategory = spec.runReasonCategory == null ? "other" : spec.runReasonCategory.name();

    if (!problems.isEmpty()) {
      return new Resolution.Invalid(String.join("; ", problems));
    }
    return new Resolution.Resolved(r);
  }

  /** The run's own steps, or its job's when it lists none: a run never adds to its job's steps. */
  private static List<String> stepsToRun(DbtRunSpec spec, DbtJob job, List<String> problems) {
    boolean fromJob = job != null && (spec.steps == null || spec.steps.isEmpty());
    List<String> steps = fromJob ? (job.getSpec() == null ? null : job.getSpec().steps) : spec.steps;
    String field = fromJob ? "DbtJob '" + job.getMetadata().getName() + "' spec.steps" : "spec.steps";
    problems.addAll(StepValidator.problems(steps, field));
    return steps;
  }

  /**
   * The run's environment, else its job's. A run may repeat its job's environment but not name
   * another one: the job's steps were written for its environment. On such a clash the job's is
   * looked up, so that the run fails on the clash at once instead of waiting for an environment
   * that may never come.
   */
  private static ObjectRef environmentRefOf(DbtRunSpec spec, DbtJob job, List<String> problems) {
    if (job == null) {
      return spec.environmentRef;
    }
    String jobName = job.getMetadata().getName();
    ObjectRef jobEnvironmentRef = job.getSpec() == null ? null : job.getSpec().environmentRef;
    if (jobEnvironmentRef == null || isBlank(jobEnvironmentRef.name)) {
      problems.add("DbtJob '" + jobName + "' has no environmentRef");
      return spec.environmentRef;
    }
    if (spec.environmentRef != null && !jobEnvironmentRef.name.equals(spec.environmentRef.name)) {
      problems.add("spec.environmentRef '" + spec.environmentRef.name + "' differs from the environment '"
          + jobEnvironmentRef.name + "' of DbtJob '" + jobName + "'; leave environmentRef out when jobRef is set");
    }
    return jobEnvironmentRef;
  }

  /** The variables of all lists, a later list's variable replacing an earlier one of the same name. */
  @SafeVarargs
  private static List<EnvVarSpec> mergeEnv(List<String> problems, List<EnvVarSpec>... lists) {
    Map<String, EnvVarSpec> merged = new LinkedHashMap<>();
    for (List<EnvVarSpec> list : lists) {
      if (list == null) {
        continue;
      }
      for (EnvVarSpec var : list) {
        if (var == null || isBlank(var.name) || !var.name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
          problems.add("env variable name '" + (var == null ? null : var.name) + "' is not a valid name");
          continue;
        }
        merged.put(var.name, new EnvVarSpec(var.name, var.value));
      }
    }
    return new ArrayList<>(merged.values());
  }

  private static String label(io.fabric8.kubernetes.api.model.HasMetadata object, String key) {
    if (object == null || object.getMetadata().getLabels() == null) {
      return null;
    }
    return object.getMetadata().getLabels().get(key);
  }

  @SafeVarargs
  static <T> T firstNonNull(T... values) {
    for (T v : values) {
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  static String firstNonBlank(String... values) {
    for (String v : values) {
      if (!isBlank(v)) {
        return v;
      }
    }
    return null;
  }

  static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
