package dev.dbtplatform.operator.run;

import dev.dbtplatform.crd.ResolvedRun;

/** The outcome of resolving a run's spec. */
public sealed interface Resolution {
  /** Everything needed to run is known. */
  record Resolved(ResolvedRun run) implements Resolution {}

  /** The spec is wrong; no waiting will fix it. */
  record Invalid(String message) implements Resolution {}

  /** A referenced object does not exist yet (GitOps tools apply in any order). */
  record Waiting(String message) implements Resolution {}
}
