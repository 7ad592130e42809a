package dev.dbtplatform.api.retention;

import static dev.dbtplatform.api.db.generated.Tables.RUNS;

import dev.dbtplatform.api.runs.RunStatus;
import java.time.OffsetDateTime;
import java.util.List;
import org.jooq.Condition;
import org.jooq.DSLContext;

/**
 * The rows of run history that retention may remove: complete runs that finished before the
 * cutoff and whose logs are either saved in the object store or never existed. A run that
 * finished with logs still on its volume (logs_pending) had logs that never reached the store;
 * it is kept. Deleting a row deletes its status changes with it (the foreign key cascades).
 */
final class PrunableRuns {
  /** One run to prune, with where its objects are (both null when it has none). */
  record Run(long id, String namespace, String name, String uid, String logsBucket, String logsPrefix) {}

  private PrunableRuns() {}

  /** Up to {@code limit} runs with an id above {@code afterId}, in id order (to page through them). */
  static List<Run> after(DSLContext dsl, OffsetDateTime cutoff, long afterId, int limit) {
    return dsl.select(RUNS.ID, RUNS.NAMESPACE, RUNS.NAME, RUNS.UID, RUNS.LOGS_BUCKET, RUNS.LOGS_PREFIX)
        .from(RUNS)
        .where(prunable(cutoff), RUNS.ID.gt(afterId))
        .orderBy(RUNS.ID)
        .limit(limit)
        .fetch(r -> new Run(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6()));
  }

  /**
   * Deletes the row if it is still prunable: the recorder may have changed it since it was read.
   *
   * @return whether it was deleted
   */
  static boolean delete(DSLContext dsl, long id, OffsetDateTime cutoff) {
    return dsl.deleteFrom(RUNS).where(RUNS.ID.eq(id), prunable(cutoff)).execute() == 1;
  }

  private static Condition prunable(OffsetDateTime cutoff) {
    return RUNS.STATUS.ge((short) RunStatus.SUCCESS.code) // complete: Success, Error, Cancelled
        .and(RUNS.FINISHED_AT.lt(cutoff))
        .and(RUNS.ARTIFACTS_SAVED.isTrue().or(RUNS.LOGS_PREFIX.isNull().and(RUNS.LOGS_PENDING.isFalse())));
  }
}
