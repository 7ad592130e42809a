package dev.dbtplatform.api.http;

import dev.dbtplatform.api.db.Account;
import dev.dbtplatform.api.runs.StoredRun;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The job and environment objects of runs, for {@code include_related=job,environment}: looked
 * up once per request however many runs share them. A job or environment deleted since the run
 * shows as null.
 */
final class RelatedObjects {
  private final ApiServices services;
  private final Account account;
  private final Set<String> includes;
  private JobReferences refs;

  RelatedObjects(ApiServices services, Account account, Set<String> includes) {
    this.services = services;
    this.account = account;
    this.includes = includes;
  }

  Map<String, Object> of(StoredRun run) {
    Map<String, Object> related = new HashMap<>();
    if (includes.contains("job") && run.jobId() != null) {
      refs().jobs().find(account, run.jobId())
          .ifPresent(job -> related.put("job", JobJson.toJson(account, run.jobId(), job, refs())));
    }
    if (includes.contains("environment") && run.environmentName() != null && run.environmentId() != null) {
      refs().environment(run.environmentName())
          .ifPresent(env -> related.put("environment",
              EnvironmentJson.toJson(account, run.environmentId(), run.projectId(), env)));
    }
    return related;
  }

  private JobReferences refs() {
    if (refs == null) {
      refs = JobReferences.of(services, account);
    }
    return refs;
  }
}
