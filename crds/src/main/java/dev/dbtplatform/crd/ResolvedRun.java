package dev.dbtplatform.crd;

import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.ArrayList;
import java.util.List;

/**
 * The immutable snapshot of what a run executes: the spec merged with its job, environment and
 * project at the moment the run was first reconciled. Later edits to the job, project or
 * environment do not change a run in flight.
 */
public class ResolvedRun {
  public String resolvedAt;
  public String projectName;
  public String environmentName;
  /** The DbtJob the run executes, or null for a run of its own. */
  public String jobName;

  public String accountId;
  public String projectId;
  public String environmentId;
  public String jobId;
  public String runId;

  public String gitUrl;
  public String gitRef;
  public String subdirectory;
  public String gitCredentialsSecret;

  /** The listed steps; the checkbox steps below come before and after them. */
  public List<String> steps = new ArrayList<>();
  /** dbt source freshness first, not failing the run. */
  public Boolean runGenerateSources;
  /** dbt docs generate last, not failing the run. */
  public Boolean generateDocs;
  public String target;
  public String schema;
  public Integer threads;
  public Long timeoutSeconds;
  public List<EnvVarSpec> env = new ArrayList<>();
  public String adapterType;
  public String warehouseSecret;
  public String image;
  public ResourceRequirements resources;

  /**
   * What the run defers to: the description says what (for the run's log), and the run, bucket
   * and prefix where its manifest is. Only the description is set when the job defers but nothing
   * it defers to has succeeded yet; null when the run does not defer.
   */
  public DeferredState deferral;

  public String runReason;
  public String runReasonCategory;
}
