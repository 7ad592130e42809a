package dev.dbtplatform.api.runs;

import java.time.OffsetDateTime;
import java.util.Set;

/** A page of an account's runs: filters (null = any), the order and the window. */
public record RunQuery(long accountId, Long jobId, Long projectId, Long environmentId, Set<RunStatus> statuses,
                       OffsetDateTime finishedFrom, OffsetDateTime finishedTo,
                       Order orderBy, boolean descending, int limit, int offset) {
  public enum Order { id, created_at, finished_at }
}
