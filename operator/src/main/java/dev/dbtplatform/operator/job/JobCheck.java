package dev.dbtplatform.operator.job;

import dev.dbtplatform.contract.Cron;
import dev.dbtplatform.crd.DbtEnvironment;
import dev.dbtplatform.crd.DbtJob;
import dev.dbtplatform.crd.DbtJobSpec;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Whether a job can start runs, and its parsed schedule. A job that cannot gets a Ready=False
 * condition saying why, rather than runs that fail one after the other: InvalidSpec for what
 * only an edit fixes (a cron that does not parse, a trigger on itself), EnvironmentNotFound for
 * what may appear by itself.
 *
 * @param reason null when the job is ready
 * @param cron the schedule, or null for a job without one
 */
record JobCheck(String reason, String message, Cron cron) {
  static final String INVALID_SPEC = "InvalidSpec";
  static final String ENVIRONMENT_NOT_FOUND = "EnvironmentNotFound";

  boolean ready() {
    return reason == null;
  }

  static JobCheck of(DbtJob job, KubernetesClient client) {
    DbtJobSpec spec = job.getSpec();
    String namespace = job.getMetadata().getNamespace();
    if (spec == null || spec.environmentRef == null || blank(spec.environmentRef.name)) {
      return invalid("spec.environmentRef.name is missing");
    }
    Cron cron = null;
    String expression = spec.triggers == null || spec.triggers.schedule == null ? null : spec.triggers.schedule.cron;
    if (expression != null) {
      try {
        cron = Cron.parse(expression);
      } catch (IllegalArgumentException e) {
        return invalid("spec.triggers.schedule.cron '" + expression + "' is not a valid cron expression: " + e.getMessage());
      }
    }
    if (job.getMetadata().getName().equals(CompletionTriggers.upstreamJob(job))) {
      return invalid("spec.triggers.onJobCompletion.jobRef names this job itself; a job cannot trigger itself");
    }
    if (CompletionTriggers.upstreamJob(job) != null && CompletionTriggers.statuses(job).isEmpty()) {
      return invalid("spec.triggers.onJobCompletion.statuses is empty; list the final phases of job "
          + CompletionTriggers.upstreamJob(job) + "'s runs that start a run: Succeeded, Failed, Cancelled");
    }
    if (client.resources(DbtEnvironment.class).inNamespace(namespace).withName(spec.environmentRef.name).get() == null) {
      return new JobCheck(ENVIRONMENT_NOT_FOUND, "DbtEnvironment '" + spec.environmentRef.name
          + "' not found in namespace " + namespace + "; no run starts until it exists", cron);
    }
    return new JobCheck(null, null, cron);
  }

  private static JobCheck invalid(String message) {
    return new JobCheck(INVALID_SPEC, message, null);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
