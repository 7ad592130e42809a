package dev.dbtplatform.crd;

/** The API group and version of every dbt-platform resource, and the labels they share. */
public final class ApiGroup {
  private ApiGroup() {}

  public static final String GROUP = "dbtplatform.dev";
  public static final String VERSION = "v1alpha1";

  /** Set on everything the operator creates; informers select by it. */
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "dbt-platform";
  /** What a created object is for: run, log-flush, develop. */
  public static final String COMPONENT_LABEL = "app.kubernetes.io/component";
  /** The DbtRun an object belongs to. */
  public static final String RUN_LABEL = GROUP + "/run";

  /** dbt Cloud style numeric ids, set by the API server; runs created with kubectl go without. */
  public static final String ACCOUNT_ID_LABEL = GROUP + "/account-id";
  public static final String PROJECT_ID_LABEL = GROUP + "/project-id";
  public static final String ENVIRONMENT_ID_LABEL = GROUP + "/environment-id";
  public static final String JOB_ID_LABEL = GROUP + "/job-id";
  public static final String RUN_ID_LABEL = GROUP + "/run-id";

  /**
   * Free text the API shows for a project, environment or job. Kubernetes names are DNS labels,
   * API names are anything a person types, so the API keeps them here; without one the API shows
   * metadata.name.
   */
  public static final String DISPLAY_NAME_ANNOTATION = GROUP + "/display-name";
  public static final String DESCRIPTION_ANNOTATION = GROUP + "/description";
  /** dbt Cloud's deployment type of an environment (production, staging); nothing here depends on it. */
  public static final String DEPLOYMENT_TYPE_ANNOTATION = GROUP + "/deployment-type";
  /**
   * An environment's dbt version as an API client wrote it (1.11.0-latest, versionless), shown
   * back to that client as long as spec.dbtVersion, which is what runs use, still matches it.
   */
  public static final String REQUESTED_DBT_VERSION_ANNOTATION = GROUP + "/requested-dbt-version";

  /**
   * The last dbt command or preview of a develop session (RFC 3339), written by the API server,
   * which sees the requests; a time after the session stopped resumes it.
   */
  public static final String LAST_ACTIVITY_ANNOTATION = GROUP + "/last-activity";

  /** A stop asked for (RFC 3339), written by the API server; activity after it resumes the session. */
  public static final String STOP_REQUESTED_ANNOTATION = GROUP + "/stop-requested-at";

  /** The CRD file names the build generates, in the order they are installed. */
  public static final java.util.List<String> CRD_FILES = java.util.List.of(
      "dbtprojects.dbtplatform.dev-v1.yml",
      "dbtenvironments.dbtplatform.dev-v1.yml",
      "dbtjobs.dbtplatform.dev-v1.yml",
      "dbtruns.dbtplatform.dev-v1.yml",
      "dbtdevelopsessions.dbtplatform.dev-v1.yml");
}
