package dev.dbtplatform.operator.job;

import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunStatus;
import dev.dbtplatform.crd.RunLogs;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * The job reconciler's store of DbtRuns, keeping of each run only what a job reads: its metadata
 * and spec, and of its status the phase, the end time and where its logs were saved. The run
 * reconciler caches every run in full already; a second full copy here would double the memory
 * that finished runs cost, most of it step results, conditions and the resolved snapshot, which
 * no job looks at.
 *
 * <p>JOSDK hands one store to the informers of all watched namespaces, and an informer that lists
 * again drops from its store what its namespace no longer has: with several namespaces they would
 * drop each other's runs. So it is used only with a single informer (one namespace, or all).
 */
final class JobRunStore extends BasicItemStore<DbtRun> {
  JobRunStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public DbtRun put(String key, DbtRun run) {
    return super.put(key, slim(run));
  }

  static DbtRun slim(DbtRun run) {
    DbtRun slim = new DbtRun();
    slim.setMetadata(run.getMetadata());
    slim.setSpec(run.getSpec());
    DbtRunStatus full = run.getStatus();
    if (full != null) {
      DbtRunStatus status = new DbtRunStatus();
      status.phase = full.phase;
      status.finishedAt = full.finishedAt;
      if (full.logs != null) {
        status.logs = new RunLogs();
        status.logs.bucket = full.logs.bucket;
        status.logs.prefix = full.logs.prefix;
        status.logs.flushedAt = full.logs.flushedAt;
      }
      slim.setStatus(status);
    }
    return slim;
  }
}
