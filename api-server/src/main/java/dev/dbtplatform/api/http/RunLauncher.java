package dev.dbtplatform.api.http;

import dev.dbtplatform.api.db.Account;
import dev.dbtplatform.api.db.ObjectIds;
import dev.dbtplatform.api.db.ObjectIds.Kind;
import dev.dbtplatform.api.db.ObjectIds.ObjectName;
import dev.dbtplatform.api.db.RunHistory;
import dev.dbtplatform.api.runs.NewRun;
import dev.dbtplatform.api.runs.RunRequest;
import dev.dbtplatform.api.runs.StoredRun;
import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.crd.DbtEnvironment;
import dev.dbtplatform.crd.DbtJob;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunSpec;
import dev.dbtplatform.crd.GitSource;
import dev.dbtplatform.crd.ObjectRef;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Starts a job's run the way every trigger does: history gets the run as Queued, then a DbtRun
 * that references the job (with the trigger's overrides) is written for the operator. The API
 * never starts pods itself. The history row comes first so that the recorder, seeing the DbtRun,
 * finds the row by the id on its label.
 */
final class RunLauncher {
  private final ApiServices services;

  RunLauncher(ApiServices services) {
    this.services = services;
  }

  /** The DbtJob behind a job id of this account: 404 when there is none. */
  DbtJob job(Account account, long jobId) {
    ObjectName name = services.ids().find(account.id(), Kind.DbtJob, jobId)
        .orElseThrow(() -> jobNotFound(jobId));
    DbtJob job = Cluster.call(() -> services.cluster().resources(DbtJob.class)
        .inNamespace(name.namespace()).withName(name.name()).get());
    if (job == null) {
      throw jobNotFound(jobId);
    }
    return job;
  }

  StoredRun launch(Account account, RunRequest request) {
    DbtJob job = job(account, request.jobId());
    String namespace = account.namespace();
    ObjectIds ids = services.ids();
    String environmentName = job.getSpec() == null || job.getSpec().environmentRef == null ? null
        : job.getSpec().environmentRef.name;
    DbtEnvironment environment = environmentName == null ? null : Cluster.call(() -> services.cluster()
        .resources(DbtEnvironment.class).inNamespace(namespace).withName(environmentName).get());
    String projectName = environment == null || environment.getSpec() == null || environment.getSpec().projectRef == null
        ? null : environment.getSpec().projectRef.name;
    Long environmentId = environmentName == null ? null : ids.idFor(account.id(), Kind.DbtEnvironment, namespace, environmentName);
    Long projectId = projectName == null ? null : ids.idFor(account.id(), Kind.DbtProject, namespace, projectName);

    RunHistory history = services.runs();
    long id = history.nextId();
    String name = "run-" + id;
    OffsetDateTime now = OffsetDateTime.now(services.clock());
    StoredRun stored = history.insertQueued(new NewRun(id, account.id(), namespace, name, request.jobId(), projectId,
        environmentId, job.getMetadata().getName(), environmentName, projectName, request.trigger(), request.rerunOf(),
        request.gitRef(), now));
    try {
      services.cluster().resources(DbtRun.class).inNamespace(namespace).resource(dbtRun(account, id, name, job,
          projectId, environmentId, request)).create();
    } catch (KubernetesClientException e) {
      history.delete(id);
      throw Cluster.refused("start the run", e);
    } catch (RuntimeException e) {
      history.delete(id);
      throw e;
    }
    return stored;
  }

  private static DbtRun dbtRun(Account account, long id, String name, DbtJob job, Long projectId, Long environmentId,
                               RunRequest request) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(ApiGroup.ACCOUNT_ID_LABEL, Long.toString(account.id()));
    labels.put(ApiGroup.JOB_ID_LABEL, Long.toString(request.jobId()));
    labels.put(ApiGroup.RUN_ID_LABEL, Long.toString(id));
    if (projectId != null) {
      labels.put(ApiGroup.PROJECT_ID_LABEL, Long.toString(projectId));
    }
    if (environmentId != null) {
      labels.put(ApiGroup.ENVIRONMENT_ID_LABEL, Long.toString(environmentId));
    }
    DbtRunSpec spec = new DbtRunSpec();
    spec.jobRef = ObjectRef.named(job.getMetadata().getName());
    spec.steps = request.steps() == null ? new ArrayList<>() : new ArrayList<>(request.steps());
    spec.threads = request.threads();
    spec.target = request.target();
    spec.schema = request.schema();
    spec.timeoutSeconds = request.timeoutSeconds();
    spec.generateDocs = request.generateDocs();
    spec.runGenerateSources = request.runGenerateSources();
    if (request.gitRef() != null) {
      spec.git = new GitSource();
      spec.git.ref = request.gitRef();
    }
    spec.runReason = request.trigger().cause();
    spec.runReasonCategory = DbtRunSpec.ReasonCategory.valueOf(request.trigger().category());
    DbtRun run = new DbtRun();
    run.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(account.namespace()).withLabels(labels).build());
    run.setSpec(spec);
    return run;
  }

  static ApiException jobNotFound(long jobId) {
    return ApiException.notFound("Job " + jobId + " was not found.");
  }
}
