package dev.dbtplatform.api.db;

import static dev.dbtplatform.api.db.generated.Tables.RUNS;
import static dev.dbtplatform.api.db.generated.Tables.RUN_STATUS_CHANGES;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbtplatform.api.db.generated.tables.records.RunsRecord;
import dev.dbtplatform.api.runs.NewRun;
import dev.dbtplatform.api.runs.ObservedRun;
import dev.dbtplatform.api.runs.RunQuery;
import dev.dbtplatform.api.runs.RunStatus;
import dev.dbtplatform.api.runs.StepResult;
import dev.dbtplatform.api.runs.StoredRun;
import dev.dbtplatform.api.runs.Trigger;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.SortField;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * Run history: one row per run, and every change of its phase. The API writes a run's first row
 * when it triggers it; the history recorder keeps the row in step with the DbtRun after that, and
 * the row stays when the DbtRun is deleted.
 */
public final class RunHistory {
  /** A page of runs and how many match in all. */
  public record Page(List<StoredRun> runs, long totalCount) {}

  /** A job's newest run and newest finished run; either may be null. */
  public record Recent(StoredRun newest, StoredRun newestFinished) {}

  /** One recorded change of a run's phase or reason. */
  public record StatusChange(RunStatus status, String phase, String reason, String message, OffsetDateTime at) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<StepResult>> STEPS = new TypeReference<>() {};
  private static final TypeReference<Map<String, Object>> OVERRIDES = new TypeReference<>() {};
  /**
   * The run lookup, rendered once and run over plain JDBC: it is what clients poll, and jOOQ's
   * building, rendering and binding of the query took several times the CPU of running it (see
   * BENCHMARKS.md).
   */
  private static final String FIND_SQL = DSL.using(org.jooq.SQLDialect.POSTGRES)
      .selectFrom(RUNS).where(RUNS.ID.eq(0L), RUNS.ACCOUNT_ID.eq(0L)).getSQL();

  /**
   * Told of every run state that {@link #record} stores, inside its transaction, so that what it
   * writes (webhook deliveries) commits or rolls back together with the state.
   */
  public interface RecordListener {
    void recorded(DSLContext tx, StoredRun run);
  }

  private final Database db;
  private final RecordListener listener;

  public RunHistory(Database db) {
    this(db, (tx, run) -> {});
  }

  public RunHistory(Database db, RecordListener listener) {
    this.db = db;
    this.listener = listener;
  }

  /** The id the next triggered run gets: its DbtRun is named after it before the row exists. */
  public long nextId() {
    return db.dsl().select(DSL.sequence(DSL.name("runs_id_seq"), Long.class).nextval()).fetchOne().value1();
  }

  public StoredRun insertQueued(NewRun run) {
    RunsRecord r = db.dsl().insertInto(RUNS)
        .set(RUNS.ID, run.id())
        .set(RUNS.ACCOUNT_ID, run.accountId())
        .set(RUNS.NAMESPACE, run.namespace())
        .set(RUNS.NAME, run.name())
        .set(RUNS.JOB_ID, run.jobId())
        .set(RUNS.PROJECT_ID, run.projectId())
        .set(RUNS.ENVIRONMENT_ID, run.environmentId())
        .set(RUNS.JOB_NAME, run.jobName())
        .set(RUNS.ENVIRONMENT_NAME, run.environmentName())
        .set(RUNS.PROJECT_NAME, run.projectName())
        .set(RUNS.TRIGGER_CAUSE, run.trigger().cause())
        .set(RUNS.TRIGGER_CATEGORY, run.trigger().category())
        .set(RUNS.TRIGGER_OVERRIDES, toJson(run.trigger().overrides()))
        .set(RUNS.RERUN_OF, run.rerunOf())
        .set(RUNS.STATUS, (short) RunStatus.QUEUED.code)
        .set(RUNS.PHASE, RunStatus.QUEUED.phase.name())
        .set(RUNS.GIT_BRANCH, run.gitBranch())
        .set(RUNS.CREATED_AT, run.createdAt())
        .set(RUNS.STEPS, "[]")
        .returning()
        .fetchOne();
    return toStored(r);
  }

  /** Forgets a run whose DbtRun could not be created. */
  public void delete(long id) {
    db.dsl().deleteFrom(RUNS).where(RUNS.ID.eq(id)).execute();
  }

  /**
   * Brings history in step with what the cluster shows of a run, and returns the run's id.
   * Safe to call again with the same or an older view: a finished run never goes back to
   * running, and saved artifacts stay saved.
   */
  public long record(ObservedRun o) {
    return db.dsl().transactionResult(tx -> {
      DSLContext dsl = tx.dsl();
      RunsRecord row = findRow(dsl, o);
      if (row == null) {
        row = dsl.newRecord(RUNS);
        row.setAccountId(o.accountId());
        row.setNamespace(o.namespace());
        row.setName(o.name());
        row.setCreatedAt(o.createdAt());
        row.setTriggerCause(o.trigger().cause());
        row.setTriggerCategory(o.trigger().category());
        row.setTriggerOverrides(toJson(o.trigger().overrides()));
      }
      boolean regress = row.getStatus() != null && row.getStatus() >= 10 && !o.status().isComplete();
      row.setUid(o.uid());
      row.setJobId(firstNonNull(row.getJobId(), o.jobId()));
      row.setProjectId(firstNonNull(row.getProjectId(), o.projectId()));
      row.setEnvironmentId(firstNonNull(row.getEnvironmentId(), o.environmentId()));
      row.setJobName(firstNonNull(row.getJobName(), o.jobName()));
      row.setEnvironmentName(firstNonNull(row.getEnvironmentName(), o.environmentName()));
      row.setProjectName(firstNonNull(row.getProjectName(), o.projectName()));
      if (!regress) {
        row.setStatus((short) o.status().code);
        row.setPhase(o.phase());
        row.setReason(o.reason());
        row.setStatusMessage(o.message());
        row.setGitBranch(firstNonNull(o.gitBranch(), row.getGitBranch()));
        row.setGitSha(firstNonNull(o.gitSha(), row.getGitSha()));
        row.setStartedAt(firstNonNull(o.startedAt(), row.getStartedAt()));
        row.setFinishedAt(firstNonNull(o.finishedAt(), row.getFinishedAt()));
        row.setQueuedSeconds(firstNonNull(o.queuedSeconds(), row.getQueuedSeconds()));
        row.setPrepSeconds(firstNonNull(o.prepSeconds(), row.getPrepSeconds()));
        row.setRunSeconds(firstNonNull(o.runSeconds(), row.getRunSeconds()));
        if (!o.steps().isEmpty() || row.getSteps() == null) {
          row.setSteps(toJson(o.steps()));
        }
      }
      row.setLogsBucket(firstNonNull(o.logsBucket(), row.getLogsBucket()));
      row.setLogsPrefix(firstNonNull(o.logsPrefix(), row.getLogsPrefix()));
      row.setArtifactsSaved(Boolean.TRUE.equals(row.getArtifactsSaved()) || o.artifactsSaved());
      row.setLogsPending(!row.getArtifactsSaved() && o.logsPending());
      row.setUpdatedAt(OffsetDateTime.now());
      row.store();

      if (!regress) {
        dsl.insertInto(RUN_STATUS_CHANGES)
            .set(RUN_STATUS_CHANGES.RUN_ID, row.getId())
            .set(RUN_STATUS_CHANGES.STATUS, (short) o.status().code)
            .set(RUN_STATUS_CHANGES.PHASE, o.phase())
            .set(RUN_STATUS_CHANGES.REASON, o.reason() == null ? "" : o.reason())
            .set(RUN_STATUS_CHANGES.MESSAGE, o.message())
            .onConflictDoNothing()
            .execute();
        listener.recorded(dsl, toStored(row));
      }
      return row.getId();
    });
  }

  /** The row the API made for this run (by the id on its label), or the one recorded earlier (by uid). */
  private static RunsRecord findRow(DSLContext dsl, ObservedRun o) {
    if (o.runId() != null) {
      RunsRecord byId = dsl.selectFrom(RUNS)
          .where(RUNS.ID.eq(o.runId()), RUNS.ACCOUNT_ID.eq(o.accountId()),
              RUNS.NAMESPACE.eq(o.namespace()), RUNS.NAME.eq(o.name()))
          .and(RUNS.UID.isNull().or(RUNS.UID.eq(o.uid())))
          .forUpdate()
          .fetchOne();
      if (byId != null) {
        return byId;
      }
    }
    return dsl.selectFrom(RUNS).where(RUNS.UID.eq(o.uid())).forUpdate().fetchOne();
  }

  public Optional<StoredRun> find(long accountId, long id) {
    return Rows.fetchOptional(db.dataSource(), FIND_SQL, RUNS, id, accountId).map(RunHistory::toStored);
  }

  /** The newest run of a job, optionally only among the given statuses. */
  public Optional<StoredRun> latestOfJob(long accountId, long jobId, List<RunStatus> statuses) {
    Condition where = RUNS.ACCOUNT_ID.eq(accountId).and(RUNS.JOB_ID.eq(jobId));
    if (!statuses.isEmpty()) {
      where = where.and(RUNS.STATUS.in(statuses.stream().map(s -> (short) s.code).toList()));
    }
    return db.dsl().selectFrom(RUNS).where(where).orderBy(RUNS.ID.desc()).limit(1)
        .fetchOptional().map(RunHistory::toStored);
  }

  /**
   * The newest run of each of these jobs, and the newest that has finished (Success, Error or
   * Cancelled): what a job shows as {@code most_recent_run} and {@code most_recent_completed_run}.
   * A run that has ended but still shows as Running at {@code now} (its artifacts are on their way
   * to object storage, see {@link StoredRun#asSeenBy}) does not count as finished yet, so the two
   * agree with what the runs API shows. Jobs without runs are left out of the answer.
   *
   * <p>One query for all of them, however many: per job, an index scan from its newest run back
   * to the first that qualifies ({@code runs_job_idx}), whatever the length of its history.
   */
  public Map<Long, Recent> recentOfJobs(long accountId, Collection<Long> jobIds, OffsetDateTime now) {
    Map<Long, Recent> recent = new HashMap<>();
    if (jobIds.isEmpty()) {
      return recent;
    }
    Table<?> jobs = DSL.unnest(jobIds.stream().distinct().toArray(Long[]::new)).as("jobs", "job_id");
    Field<Long> jobId = jobs.field("job_id", Long.class);
    Condition ofJob = RUNS.ACCOUNT_ID.eq(accountId).and(RUNS.JOB_ID.eq(jobId));
    Condition finished = RUNS.STATUS.ge((short) RunStatus.SUCCESS.code)
        .and(RUNS.LOGS_PENDING.isFalse().or(RUNS.FINISHED_AT.isNull())
            .or(RUNS.FINISHED_AT.le(now.minus(StoredRun.ARTIFACTS_GRACE))));
    Field<Boolean> isFinished = DSL.field(DSL.name("finished"), Boolean.class);
    Table<RunsRecord> newest = DSL.lateral(DSL.selectFrom(RUNS).where(ofJob).orderBy(RUNS.ID.desc()).limit(1))
        .as("newest");
    Table<RunsRecord> newestFinished = DSL.lateral(DSL.selectFrom(RUNS).where(ofJob.and(finished))
        .orderBy(RUNS.ID.desc()).limit(1)).as("newest_finished");
    var rows = db.dsl().select(DSL.inline(false).as(isFinished)).select(newest.fields()).from(jobs).crossJoin(newest)
        .unionAll(DSL.select(DSL.inline(true).as(isFinished)).select(newestFinished.fields()).from(jobs)
            .crossJoin(newestFinished))
        .fetch();
    for (var row : rows) {
      StoredRun run = toStored(row.into(RUNS));
      Recent known = recent.getOrDefault(run.jobId(), new Recent(null, null));
      recent.put(run.jobId(), Boolean.TRUE.equals(row.get(isFinished))
          ? new Recent(known.newest(), run) : new Recent(run, known.newestFinished()));
    }
    return recent;
  }

  public Page list(RunQuery q) {
    Condition where = RUNS.ACCOUNT_ID.eq(q.accountId());
    if (q.jobId() != null) {
      where = where.and(RUNS.JOB_ID.eq(q.jobId()));
    }
    if (q.projectId() != null) {
      where = where.and(RUNS.PROJECT_ID.eq(q.projectId()));
    }
    if (q.environmentId() != null) {
      where = where.and(RUNS.ENVIRONMENT_ID.eq(q.environmentId()));
    }
    if (q.statuses() != null && !q.statuses().isEmpty()) {
      where = where.and(RUNS.STATUS.in(q.statuses().stream().map(s -> (short) s.code).toList()));
    }
    if (q.finishedFrom() != null) {
      where = where.and(RUNS.FINISHED_AT.ge(q.finishedFrom()));
    }
    if (q.finishedTo() != null) {
      where = where.and(RUNS.FINISHED_AT.le(q.finishedTo()));
    }
    Field<?> field = switch (q.orderBy()) {
      case id -> RUNS.ID;
      case created_at -> RUNS.CREATED_AT;
      case finished_at -> RUNS.FINISHED_AT;
    };
    List<SortField<?>> order = new ArrayList<>();
    // Only finished_at can be null. NULLS LAST on a column that never is would still keep
    // PostgreSQL from reading the (account, job, id) index backwards: it would sort every run.
    SortField<?> first = q.descending() ? field.desc() : field.asc();
    order.add(field == RUNS.FINISHED_AT ? first.nullsLast() : first);
    if (field != RUNS.ID) {
      order.add(q.descending() ? RUNS.ID.desc() : RUNS.ID.asc()); // a stable order for paging
    }
    List<StoredRun> runs = db.dsl().selectFrom(RUNS).where(where).orderBy(order)
        .limit(q.limit()).offset(q.offset())
        .fetch(RunHistory::toStored);
    long total = db.dsl().fetchCount(RUNS, where);
    return new Page(runs, total);
  }

  public List<StatusChange> statusChanges(long runId) {
    return db.dsl().selectFrom(RUN_STATUS_CHANGES).where(RUN_STATUS_CHANGES.RUN_ID.eq(runId))
        .orderBy(RUN_STATUS_CHANGES.ID)
        .fetch(r -> new StatusChange(RunStatus.ofCode(r.getStatus()).orElseThrow(), r.getPhase(),
            r.getReason().isEmpty() ? null : r.getReason(), r.getMessage(), r.getRecordedAt()));
  }

  private static StoredRun toStored(RunsRecord r) {
    return new StoredRun(r.getId(), r.getAccountId(), r.getNamespace(), r.getName(), r.getUid(),
        r.getJobId(), r.getProjectId(), r.getEnvironmentId(), r.getJobName(), r.getEnvironmentName(), r.getProjectName(),
        new Trigger(r.getTriggerCause(), r.getTriggerCategory(), fromJson(r.getTriggerOverrides(), OVERRIDES, Map.of())),
        r.getRerunOf(), RunStatus.ofCode(r.getStatus()).orElseThrow(), r.getPhase(), r.getReason(), r.getStatusMessage(),
        r.getGitBranch(), r.getGitSha(), r.getCreatedAt(), r.getStartedAt(), r.getFinishedAt(),
        r.getQueuedSeconds(), r.getPrepSeconds(), r.getRunSeconds(),
        steps(r.getSteps()), r.getLogsBucket(), r.getLogsPrefix(),
        Boolean.TRUE.equals(r.getArtifactsSaved()), Boolean.TRUE.equals(r.getLogsPending()), r.getUpdatedAt());
  }

  private static List<StepResult> steps(String json) {
    return json == null || json.isBlank() ? List.of() : new StoredSteps(json, text -> fromJson(text, STEPS, List.of()));
  }

  private static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write run history JSON", e);
    }
  }

  private static <T> T fromJson(String text, TypeReference<T> type, T empty) {
    if (text == null || text.isBlank()) {
      return empty;
    }
    try {
      return JSON.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("run history holds JSON it cannot read", e);
    }
  }

  private static <T> T firstNonNull(T a, T b) {
    return a != null ? a : b;
  }
}
