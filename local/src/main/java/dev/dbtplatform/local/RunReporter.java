package dev.dbtplatform.local;

import dev.dbtplatform.contract.ObjectKeys;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunStatus;
import dev.dbtplatform.crd.RunStepStatus;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** Writes what a person wants to see of a finished run: steps, log tails from S3, artifacts. */
final class RunReporter {
  private static final int LOG_TAIL_LINES = 8;
  private final RunArtifacts artifacts;
  private final PrintStream out;

  RunReporter(RunArtifacts artifacts, PrintStream out) {
    this.artifacts = artifacts;
    this.out = out;
  }

  void report(DbtRun run) {
    DbtRunStatus s = run.getStatus();
    out.println();
    out.printf("== %s: %s (%s) in %s%n", run.getMetadata().getName(), s.phase, s.reason, s.duration);
    out.printf("   %s%n", s.message);
    out.printf(Locale.ROOT, "   queued %.1fs, prep %.1fs, run %.1fs; git %s @ %s%n",
        orZero(s.queuedSeconds), orZero(s.prepSeconds), orZero(s.runSeconds), s.gitBranch, shortSha(s.gitSha));
    for (RunStepStatus step : s.steps) {
      out.printf("   %2d  %-10s %s%n", step.index, step.status, step.name);
    }
    if (s.logs == null || s.logs.flushedAt == null) {
      out.println("   logs and artifacts are not flushed yet");
      return;
    }
    out.printf("   logs and artifacts: %s (%d objects, %d bytes)%n", s.logs.location, s.logs.objects, s.logs.bytes);
    for (RunStepStatus step : s.steps) {
      if (step.command == null || step.startedAt == null) {
        continue;
      }
      out.printf("%n   -- step %d, %s: last lines of %s%n", step.index, step.command, step.logLocation);
      List<String> lines = artifacts.text(ObjectKeys.stepLog(s.logs.prefix, step.index)).lines().toList();
      lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()).forEach(l -> out.println("   | " + l));
      String runResults = ObjectKeys.stepArtifact(s.logs.prefix, step.index, "run_results.json");
      if (artifacts.keys(runResults).contains(runResults)) {
        List<String> nodes = artifacts.runResults(runResults);
        out.printf("   run_results.json (%s): %d nodes%n", "s3://" + s.logs.bucket + "/" + runResults, nodes.size());
        nodes.stream().limit(12).forEach(n -> out.println("     " + n));
        if (nodes.size() > 12) {
          out.printf("     ... and %d more%n", nodes.size() - 12);
        }
      }
    }
  }

  private static double orZero(Double d) {
    return d == null ? 0 : d;
  }

  private static String shortSha(String sha) {
    return sha == null ? "-" : sha.substring(0, Math.min(10, sha.length()));
  }
}
