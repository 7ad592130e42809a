package dev.dbtplatform.api.http;

import dev.dbtplatform.api.db.Account;
import dev.dbtplatform.api.db.ObjectIds.Kind;
import dev.dbtplatform.crd.DbtEnvironment;
import dev.dbtplatform.crd.DbtJob;
import dev.dbtplatform.crd.DbtProject;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a job's JSON needs besides the job, within one request: the ids of the environments and
 * jobs it names by name, the project each belongs to, the environment settings a job inherits,
 * and the time now. The account's environments and jobs are each listed at most once, when first
 * needed, so a page of a hundred jobs costs two list calls.
 */
final class JobReferences {
  private final Account account;
  private final AccountResources<DbtEnvironment> environments;
  private final AccountResources<DbtJob> jobs;
  private final AccountResources<DbtProject> projects;
  private final Instant now;
  private final Map<String, Long> ids = new HashMap<>();
  private Map<String, DbtEnvironment> environmentsByName;
  private Map<String, DbtJob> jobsByName;

  private JobReferences(ApiServices services, Account account) {
    this.account = account;
    this.environments = new AccountResources<>(services, DbtEnvironment.class, Kind.DbtEnvironment, "environment");
    this.jobs = new AccountResources<>(services, DbtJob.class, Kind.DbtJob, "job");
    this.projects = new AccountResources<>(services, DbtProject.class, Kind.DbtProject, "project");
    this.now = services.clock().instant();
  }

  static JobReferences of(ApiServices services, Account account) {
    return new JobReferences(services, account);
  }

  Account account() {
    return account;
  }

  Instant now() {
    return now;
  }

  AccountResources<DbtEnvironment> environments() {
    return environments;
  }

  AccountResources<DbtJob> jobs() {
    return jobs;
  }

  /** The id of a named environment; it may name one that does not exist (yet). */
  Long environmentId(String name) {
    return id(environments, name);
  }

  Long jobId(String name) {
    return id(jobs, name);
  }

  Optional<DbtEnvironment> environment(String name) {
    if (name == null) {
      return Optional.empty();
    }
    if (environmentsByName == null) {
      environmentsByName = byName(environments.list(account));
    }
    return Optional.ofNullable(environmentsByName.get(name));
  }

  Optional<DbtJob> job(String name) {
    return name == null ? Optional.empty() : Optional.ofNullable(jobsByName().get(name));
  }

  /** Every job of the account, listed once per request. */
  List<DbtJob> allJobs() {
    return List.copyOf(jobsByName().values());
  }

  private Map<String, DbtJob> jobsByName() {
    if (jobsByName == null) {
      jobsByName = byName(jobs.list(account));
    }
    return jobsByName;
  }

  /** The project of a named environment; null when the environment does not exist. */
  Long projectIdOfEnvironment(String environmentName) {
    return environment(environmentName)
        .map(e -> e.getSpec() == null || e.getSpec().projectRef == null ? null : e.getSpec().projectRef.name)
        .map(project -> id(projects, project))
        .orElse(null);
  }

  Long projectIdOfJob(String jobName) {
    return job(jobName)
        .map(j -> j.getSpec() == null || j.getSpec().environmentRef == null ? null : j.getSpec().environmentRef.name)
        .map(this::projectIdOfEnvironment)
        .orElse(null);
  }

  private Long id(AccountResources<?> kind, String name) {
    if (name == null) {
      return null;
    }
    return ids.computeIfAbsent(kind.kind().name() + "/" + name, k -> kind.idOf(account, name));
  }

  private static <T extends HasMetadata> Map<String, T> byName(List<T> items) {
    return items.stream().collect(Collectors.toMap(i -> i.getMetadata().getName(), Function.identity(), (a, b) -> a));
  }
}
