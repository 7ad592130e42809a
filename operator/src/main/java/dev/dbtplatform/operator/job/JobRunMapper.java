package dev.dbtplatform.operator.job;

import dev.dbtplatform.crd.DbtJob;
import dev.dbtplatform.crd.DbtRun;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which jobs a DbtRun event concerns: the run's own job (its active and last completed runs) and
 * every job whose completion trigger names that job (a run of it may just have ended). The
 * latter are found through an index of the job cache by the job their trigger names.
 */
final class JobRunMapper implements SecondaryToPrimaryMapper<DbtRun> {
  static final String BY_UPSTREAM_JOB_INDEX = "by-upstream-job";

  private final IndexedResourceCache<DbtJob> jobs;

  JobRunMapper(IndexedResourceCache<DbtJob> jobs) {
    this.jobs = jobs;
  }

  /** The index function of the job cache: the job a job's completion trigger waits for. */
  static List<String> upstreamJobKeys(DbtJob job) {
    String upstream = CompletionTriggers.upstreamJob(job);
    return upstream == null ? List.of() : List.of(JobRuns.key(job.getMetadata().getNamespace(), upstream));
  }

  @Override
  public Set<ResourceID> toPrimaryResourceIDs(DbtRun run) {
    String job = JobRuns.jobOf(run);
    if (job == null) {
      return Set.of();
    }
    String namespace = run.getMetadata().getNamespace();
    Set<ResourceID> ids = new HashSet<>();
    ids.add(new ResourceID(job, namespace));
    for (DbtJob downstream : jobs.byIndex(BY_UPSTREAM_JOB_INDEX, JobRuns.key(namespace, job))) {
      ids.add(ResourceID.fromResource(downstream));
    }
    return ids;
  }
}
