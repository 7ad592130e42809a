package dev.dbtplatform.api.http;

import dev.dbtplatform.api.db.Account;
import dev.dbtplatform.api.db.RunHistory;
import dev.dbtplatform.api.runs.StoredRun;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A job's {@code most_recent_run} and {@code most_recent_completed_run}, within one request: run
 * objects as the runs API shows them, from run history by the job's id. A list looks up its whole
 * page at once ({@link #load}), so a page of jobs costs one query; a job that was not loaded is
 * looked up on its own when asked for.
 */
final class RecentRuns {
  private final RunHistory runs;
  private final Account account;
  private final String baseUrl;
  private final OffsetDateTime now;
  private final Map<Long, RunHistory.Recent> loaded = new HashMap<>();

  RecentRuns(ApiServices services, Account account, String baseUrl) {
    this.runs = services.runs();
    this.account = account;
    this.baseUrl = baseUrl;
    this.now = OffsetDateTime.now(services.clock());
  }

  /** Looks up the jobs not looked up yet, in one query. */
  RecentRuns load(Collection<Long> jobIds) {
    List<Long> missing = jobIds.stream().filter(id -> id != null && !loaded.containsKey(id)).distinct().toList();
    if (!missing.isEmpty()) {
      Map<Long, RunHistory.Recent> found = runs.recentOfJobs(account.id(), missing, now);
      for (Long id : missing) {
        loaded.put(id, found.getOrDefault(id, new RunHistory.Recent(null, null)));
      }
    }
    return this;
  }

  /** The job's newest run, null when it has none. */
  Map<String, Object> mostRecent(long jobId) {
    return toJson(load(List.of(jobId)).loaded.get(jobId).newest());
  }

  /** The job's newest run that has finished (Success, Error or Cancelled), null when none has. */
  Map<String, Object> mostRecentCompleted(long jobId) {
    return toJson(load(List.of(jobId)).loaded.get(jobId).newestFinished());
  }

  /** Without includes: no steps or logs, no related objects, as the runs list shows a run. */
  private Map<String, Object> toJson(StoredRun run) {
    return run == null ? null : RunJson.toJson(run, Set.of(), baseUrl, now, (r, step) -> null, Map.of());
  }
}
