package dev.dbtplatform.operator.run;

import dev.dbtplatform.crd.DbtEnvironment;
import dev.dbtplatform.crd.DbtJob;
import dev.dbtplatform.crd.DeferredState;
import dev.dbtplatform.crd.JobDeferral;
import dev.dbtplatform.crd.SuccessfulRun;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Finds the state a job's run defers to, as dbt Cloud does: the latest successful run of the
 * job named by the deferral, or the latest successful run of any job in the environment named by
 * it. Jobs keep their latest successful run in status, so the state outlives the run's cleanup.
 * When nothing has succeeded yet the run goes without deferral, as dbt Cloud's first run does.
 */
final class Deferrals {
  private final BiFunction<String, String, Optional<DbtJob>> jobs;
  private final BiFunction<String, String, Optional<DbtEnvironment>> environments;
  private final Function<String, List<DbtJob>> jobsInNamespace;

  /** The outcome: the state, or why the run has to wait for the resource the deferral names. */
  record Found(DeferredState state, String missing) {}

  /** Each lookup takes a namespace (and a name). */
  Deferrals(BiFunction<String, String, Optional<DbtJob>> jobs,
            BiFunction<String, String, Optional<DbtEnvironment>> environments,
            Function<String, List<DbtJob>> jobsInNamespace) {
    this.jobs = jobs;
    this.environments = environments;
    this.jobsInNamespace = jobsInNamespace;
  }

  Found resolve(DbtJob job, String namespace) {
    JobDeferral deferral = job == null || job.getSpec() == null ? null : job.getSpec().deferral;
    if (deferral == null) {
      return new Found(null, null);
    }
    if (deferral.jobRef != null && deferral.jobRef.name != null) {
      String name = deferral.jobRef.name;
      Optional<DbtJob> deferredJob = jobs.apply(namespace, name);
      if (deferredJob.isEmpty()) {
        return new Found(null, "DbtJob '" + name + "' (spec.deferral.jobRef of DbtJob '"
            + job.getMetadata().getName() + "') not found in namespace " + namespace);
      }
      SuccessfulRun last = lastSuccess(deferredJob.get());
      return new Found(new DeferredState(last == null
          ? "DbtJob '" + name + "', which has no successful run with saved artifacts yet"
          : "the last successful run " + last.name + " of DbtJob '" + name + "'", last), null);
    }
    if (deferral.environmentRef != null && deferral.environmentRef.name != null) {
      String name = deferral.environmentRef.name;
      if (environments.apply(namespace, name).isEmpty()) {
        return new Found(null, "DbtEnvironment '" + name + "' (spec.deferral.environmentRef of DbtJob '"
            + job.getMetadata().getName() + "') not found in namespace " + namespace);
      }
      Optional<DbtJob> newest = jobsInNamespace.apply(namespace).stream()
          .filter(j -> j.getSpec() != null && j.getSpec().environmentRef != null
              && name.equals(j.getSpec().environmentRef.name))
          .filter(j -> lastSuccess(j) != null)
          .max(Comparator.comparing((DbtJob j) -> finishedAt(lastSuccess(j))));
      return new Found(newest.map(j -> new DeferredState("the last successful run " + lastSuccess(j).name
              + " in DbtEnvironment '" + name + "' (of DbtJob '" + j.getMetadata().getName() + "')", lastSuccess(j)))
          .orElse(new DeferredState("DbtEnvironment '" + name + "', which has no successful run with saved artifacts yet",
              null)), null);
    }
    return new Found(null, null);
  }

  private static SuccessfulRun lastSuccess(DbtJob job) {
    SuccessfulRun run = job.getStatus() == null ? null : job.getStatus().lastSuccessfulRun;
    return run == null || run.prefix == null || run.bucket == null ? null : run;
  }

  private static Instant finishedAt(SuccessfulRun run) {
    try {
      return run.finishedAt == null ? Instant.EPOCH : Instant.parse(run.finishedAt);
    } catch (DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }
}
