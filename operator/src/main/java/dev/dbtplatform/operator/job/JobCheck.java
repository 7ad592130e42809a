package dev.dbtplatform.operator.job;

import dev.dbtplatform.contract.Cron;
import dev.dbtplatform.crd.DbtJob;
import dev.dbtplatform.crd.DbtJobSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

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
  /** Completion triggers that lead back to the job: each run would start the next, forever. */
  static final String TRIGGER_LOOP = "TriggerLoop";
  /** Longer chains of completion triggers are not followed further. */
  static final int MAX_CHAIN = 100;

  boolean ready() {
    return reason == null;
  }

  /** Whether another resource may change the answer, so the job is looked at again by itself. */
  boolean dependsOnOthers() {
    return ENVIRONMENT_NOT_FOUND.equals(reason) || TRIGGER_LOOP.equals(reason);
  }

  static JobCheck of(DbtJob job, KubernetesClient client, JobEnvironments environments) {
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
    String loop = triggerLoop(job, client);
    if (loop != null) {
      return new JobCheck(TRIGGER_LOOP, "the completion triggers form a loop (" + loop + "): every run would start "
          + "another one; no run starts until one of these jobs triggers on something else", cron);
    }
    if (!environments.exists(namespace, spec.environmentRef.name)) {
      return new JobCheck(ENVIRONMENT_NOT_FOUND, "DbtEnvironment '" + spec.environmentRef.name
          + "' not found in namespace " + namespace + "; no run starts until it exists", cron);
    }
    return new JobCheck(null, null, cron);
  }

  /**
   * The loop the job's completion trigger is part of, as "a → b → a", or null. Each job has at
   * most one upstream job, so following upstream jobs either ends or comes back round.
   */
  static String triggerLoop(DbtJob job, KubernetesClient client) {
    String self = job.getMetadata().getName();
    List<String> chain = new ArrayList<>(List.of(self));
    String upstream = CompletionTriggers.upstreamJob(job);
    while (upstream != null && chain.size() <= MAX_CHAIN) {
      chain.add(upstream);
      if (upstream.equals(self)) {
        Collections.reverse(chain); // in the order runs would start each other
        return String.join(" → ", chain);
      }
      if (chain.indexOf(upstream) < chain.size() - 1) {
        return null; // a loop further up that this job is not part of: those jobs report it
      }
      DbtJob next = client.resources(DbtJob.class).inNamespace(job.getMetadata().getNamespace()).withName(upstream).get();
      upstream = next == null ? null : CompletionTriggers.upstreamJob(next);
    }
    return null;
  }

  private static JobCheck invalid(String message) {
    return new JobCheck(INVALID_SPEC, message, null);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
