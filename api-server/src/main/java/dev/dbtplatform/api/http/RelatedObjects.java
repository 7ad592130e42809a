package dev.dbtplatform.api.http;

import dev.dbtplatform.api.db.Account;
import dev.dbtplatform.api.runs.StoredRun;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The job and environment objects of runs, for {@code include_related=job,environment}: looked
 * up once per request however many runs share them, a job with its most recent runs. A job or
 * environment deleted since the run shows as null.
 */
final class RelatedObjects {
  private final ApiServices services;
  private final Account account;
  private final Set<String> includes;
  private final String baseUrl;
  private JobReferences refs;
  private RecentRuns recent;

  /** @param baseUrl where the API is, for the href of the job's most recent runs */
  RelatedObjects(ApiServices services, Account account, Set<String> includes, String baseUrl) {
    this.services = services;
    this.account = account;
    this.includes = includes;
    this.baseUrl = baseUrl;
  }

  /** Looks up the most recent runs of the jobs of a page of runs at once, when jobs are asked for. */
  RelatedObjects prepare(List<StoredRun> runs) {
    if (includes.contains("job")) {
      recent().load(runs.stream().map(StoredRun::jobId).filter(Objects::nonNull).toList());
    }
    return this;
  }

  Map<String, Object> of(StoredRun run) {
    Map<String, Object> related = new HashMap<>();
    if (includes.contains("job") && run.jobId() != null) {
      refs().jobs().find(account, run.jobId())
          .ifPresent(job -> related.put("job", JobJson.toJson(account, run.jobId(), job, refs(), recent())));
    }
    if (includes.contains("environment") && run.environmentName() != null && run.environmentId() != null) {
      refs().environment(run.environmentName())
          .ifPresent(env -> related.put("environment",
              EnvironmentJson.toJson(account, run.environmentId(), run.projectId(), env)));
    }
    return related;
  }

  /** Shared by the runs of a request: each job's recent runs are looked up once. */
  private RecentRuns recent() {
    if (recent == null) {
      recent = new RecentRuns(services, account, baseUrl);
    }
    return recent;
  }

  private JobReferences refs() {
    if (refs == null) {
      refs = JobReferences.of(services, account);
    }
    return refs;
  }
}
