package dev.dbtplatform.operator.job;

import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.crd.DbtJob;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunSpec;
import dev.dbtplatform.crd.ObjectRef;
import dev.dbtplatform.operator.resources.ResourceNames;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DbtRuns the scheduler creates: a run of the job that names only the job (the run
 * reconciler takes everything else from it), why it started, and the job's API ids.
 *
 * <p>No owner reference to the job: deleting or re-creating a job (a GitOps prune, a rename)
 * would otherwise delete its runs with it, stopping those in flight and dropping the history
 * that is still being recorded. Finished runs are removed by the cleanup's TTL, like runs
 * started through the API or kubectl, which have no owner either.
 */
public final class JobRunFactory {
  private JobRunFactory() {}

  /** The job a run belongs to, for {@code kubectl get dbtr -l dbtplatform.dev/job=NAME}. */
  public static final String JOB_LABEL = ApiGroup.GROUP + "/job";
  /** The fire time a scheduled run is for (an annotation: label values cannot hold a time). */
  public static final String SCHEDULED_AT_ANNOTATION = ApiGroup.GROUP + "/scheduled-at";
  /** The run whose end started a triggered run. */
  public static final String TRIGGERED_BY_RUN_ANNOTATION = ApiGroup.GROUP + "/triggered-by-run";

  /** dbt Cloud's cause text of scheduled runs. */
  static final String SCHEDULED_REASON = "Scheduled";
  private static final int REASON_LIMIT = 255;
  private static final List<String> ID_LABELS = List.of(ApiGroup.ACCOUNT_ID_LABEL, ApiGroup.PROJECT_ID_LABEL,
      ApiGroup.ENVIRONMENT_ID_LABEL, ApiGroup.JOB_ID_LABEL);

  public static DbtRun scheduled(DbtJob job, Instant fire) {
    DbtRun run = runOf(job, JobRunNames.scheduled(name(job), fire), DbtRunSpec.ReasonCategory.scheduled,
        SCHEDULED_REASON);
    run.getMetadata().getAnnotations().put(SCHEDULED_AT_ANNOTATION, fire.toString());
    return run;
  }

  public static DbtRun triggered(DbtJob job, DbtRun upstream, String upstreamJob) {
    String upstreamName = upstream.getMetadata().getName();
    DbtRun run = runOf(job, JobRunNames.triggered(name(job), upstreamName), DbtRunSpec.ReasonCategory.triggered,
        "Triggered by completion of run " + upstreamName + " of job " + upstreamJob);
    run.getMetadata().getAnnotations().put(TRIGGERED_BY_RUN_ANNOTATION, upstreamName);
    return run;
  }

  private static DbtRun runOf(DbtJob job, String name, DbtRunSpec.ReasonCategory category, String reason) {
    DbtRunSpec spec = new DbtRunSpec();
    spec.jobRef = ObjectRef.named(name(job));
    spec.runReasonCategory = category;
    // the CRD allows 255 characters; a longer reason would make the create fail
    spec.runReason = reason.length() <= REASON_LIMIT ? reason : reason.substring(0, REASON_LIMIT);
    DbtRun run = new DbtRun(job.getMetadata().getNamespace(), name, spec);
    run.getMetadata().setLabels(labels(job));
    run.getMetadata().setAnnotations(new LinkedHashMap<>());
    return run;
  }

  private static Map<String, String> labels(DbtJob job) {
    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, String> jobLabels = job.getMetadata().getLabels() == null ? Map.of() : job.getMetadata().getLabels();
    for (String key : ID_LABELS) {
      if (jobLabels.get(key) != null) {
        labels.put(key, jobLabels.get(key));
      }
    }
    labels.put(JOB_LABEL, ResourceNames.fit(name(job), ResourceNames.LABEL_LIMIT));
    return labels;
  }

  private static String name(DbtJob job) {
    return job.getMetadata().getName();
  }
}
