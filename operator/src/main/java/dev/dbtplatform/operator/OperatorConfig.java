package dev.dbtplatform.operator;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * How the operator runs: what it watches, which images it starts, where logs go.
 *
 * @param namespaces namespaces to watch; empty for all
 * @param runImageRepository run runtime image without tag; the tag is "dbt-" + dbt version
 * @param defaultDbtVersion dbt version of environments that name none
 * @param flushImage image of log-flush Jobs
 * @param objectStore where log-flush Jobs upload
 * @param runVolumeSize size of each run's volume
 * @param storageClass storage class of run volumes, null for the cluster default
 * @param defaultAccountId account of runs that carry no account label
 * @param startTimeout how long a pod may stay unable to start (image pull, missing Secret) before the run fails
 * @param timeoutGrace how long past its timeout the operator lets the runtime stop itself before it stops the pod
 * @param flushBackoff first wait after a failed flush attempt; doubles up to {@code flushBackoffMax}
 * @param flushBackoffMax longest wait between flush attempts
 * @param referenceWait how long a run waits for its project or environment to appear
 * @param metricsPort port of /metrics and /healthz; 0 for any free port, -1 for none
 * @param cleanup what the background sweeper deletes, and how often it looks
 * @param scheduleCatchUp how late a scheduled run may still start after a missed fire (operator down, environment
 *     missing); only the latest missed fire is caught up, and only within this time
 * @param runSlots how many runs of one account may be past Queued at once; the others wait their turn, oldest
 *     first; 0 for no limit
 * @param develop how develop sessions run
 * @param leaderElection with several replicas, the one that holds the lease works; null for none
 */
public record OperatorConfig(
    Set<String> namespaces,
    String runImageRepository,
    String defaultDbtVersion,
    String flushImage,
    ObjectStore objectStore,
    String runVolumeSize,
    String storageClass,
    String defaultAccountId,
    Duration startTimeout,
    Duration timeoutGrace,
    Duration flushBackoff,
    Duration flushBackoffMax,
    Duration referenceWait,
    int metricsPort,
    Cleanup cleanup,
    Duration scheduleCatchUp,
    int runSlots,
    Develop develop,
    LeaderElection leaderElection) {

  public static final String SCHEDULE_CATCHUP_SECONDS = "DBT_PLATFORM_SCHEDULE_CATCHUP_SECONDS";
  public static final String RUN_SLOTS = "DBT_PLATFORM_RUN_SLOTS";

  /**
   * @param imageRepository develop runtime image without tag; the tag is "dbt-" + dbt version
   * @param volumeSize size of each user's workspace volume
   * @param storageClass storage class of workspace volumes (ReadWriteMany), null for the cluster default
   */
  public record Develop(String imageRepository, String volumeSize, String storageClass) {
    static Develop defaults() {
      return new Develop("dbt-platform/develop-runtime", "5Gi", null);
    }

    static Develop fromEnv(Map<String, String> env) {
      Develop d = defaults();
      return new Develop(env.getOrDefault("DBT_PLATFORM_DEVELOP_IMAGE_REPOSITORY", d.imageRepository()),
          env.getOrDefault("DBT_PLATFORM_DEVELOP_VOLUME_SIZE", d.volumeSize()),
          env.getOrDefault("DBT_PLATFORM_DEVELOP_STORAGE_CLASS", d.storageClass()));
    }
  }

  /**
   * @param leaseName the Lease the replicas compete for
   * @param namespace where the Lease lives (the operator's own namespace)
   * @param exitOnLoss whether a replica that loses the lease exits (Kubernetes restarts it as a
   *     standby), so that it never reconciles alongside the new leader; tests keep the JVM
   */
  public record LeaderElection(String leaseName, String namespace, boolean exitOnLoss) {
    public static final String ENABLED = "DBT_PLATFORM_LEADER_ELECTION";
    public static final String NAMESPACE = "DBT_PLATFORM_LEASE_NAMESPACE";

    /** On when DBT_PLATFORM_LEADER_ELECTION is true; the namespace from DBT_PLATFORM_LEASE_NAMESPACE or POD_NAMESPACE. */
    static LeaderElection fromEnv(Map<String, String> env) {
      if (!Boolean.parseBoolean(env.getOrDefault(ENABLED, "false").strip())) {
        return null;
      }
      String namespace = env.getOrDefault(NAMESPACE, env.get("POD_NAMESPACE"));
      if (namespace == null || namespace.isBlank()) {
        throw new IllegalArgumentException(ENABLED + " is true but neither " + NAMESPACE + " nor POD_NAMESPACE names "
            + "the namespace of the lease; set POD_NAMESPACE from the downward API (metadata.namespace)");
      }
      return new LeaderElection("dbt-platform-operator", namespace.strip(), true);
    }
  }

  /**
   * @param credentialsSecret Secret with the keys access-key-id and secret-access-key
   * @param credentialsNamespace namespace of that Secret, copied by the operator into each run
   *     namespace; null when the Secret already exists in every run namespace
   * @param retrySeconds how long one flush attempt retries an unreachable store
   */
  public record ObjectStore(String endpoint, String region, String bucket, boolean pathStyle,
                            String keyPrefix, String credentialsSecret, String credentialsNamespace,
                            long retrySeconds) {}

  /**
   * @param runTtl how long after it finished a run that is also flushed (or never had a volume) is
   *     deleted; zero keeps runs forever
   * @param interval time between sweeps; zero or less starts no sweeper
   */
  public record Cleanup(Duration runTtl, Duration interval) {
    public static final String RUN_TTL_SECONDS = "DBT_PLATFORM_RUN_TTL_SECONDS";
    public static final String INTERVAL_SECONDS = "DBT_PLATFORM_CLEANUP_INTERVAL_SECONDS";

    public static Cleanup defaults() {
      return new Cleanup(Duration.ofDays(1), Duration.ofMinutes(5));
    }

    static Cleanup fromEnv(Map<String, String> env) {
      Cleanup d = defaults();
      long ttl = Long.parseLong(env.getOrDefault(RUN_TTL_SECONDS, String.valueOf(d.runTtl().toSeconds())).strip());
      if (ttl < 0) {
        throw new IllegalArgumentException(RUN_TTL_SECONDS + " must be 0 (keep forever) or more, got " + ttl);
      }
      long interval = Long.parseLong(env.getOrDefault(INTERVAL_SECONDS, String.valueOf(d.interval().toSeconds())).strip());
      return new Cleanup(Duration.ofSeconds(ttl), Duration.ofSeconds(interval));
    }

    public boolean enabled() {
      return !interval.isZero() && !interval.isNegative();
    }
  }

  public static final String ACCESS_KEY_ID_KEY = "access-key-id";
  public static final String SECRET_ACCESS_KEY_KEY = "secret-access-key";

  public String runImage(String dbtVersion) {
    return runImageRepository + ":dbt-" + (dbtVersion == null ? defaultDbtVersion : dbtVersion);
  }

  public static OperatorConfig defaults() {
    return new OperatorConfig(Set.of(), "dbt-platform/run-runtime", "1.11", "dbt-platform/log-flusher:0.1.0",
        new ObjectStore(null, "us-east-1", "dbt-platform", false, "", "dbt-platform-object-store", null, 120),
        "1Gi", null, "default", Duration.ofMinutes(5), Duration.ofSeconds(30),
        Duration.ofSeconds(15), Duration.ofMinutes(10), Duration.ofMinutes(2), 8080, Cleanup.defaults(),
        Duration.ofMinutes(10), 0, Develop.defaults(), null);
  }

  /** Reads DBT_PLATFORM_* variables over the defaults. */
  public static OperatorConfig fromEnv(Map<String, String> env) {
    OperatorConfig d = defaults();
    ObjectStore s = d.objectStore();
    return new OperatorConfig(
        splitSet(env.get("DBT_PLATFORM_NAMESPACES")),
        env.getOrDefault("DBT_PLATFORM_RUN_IMAGE_REPOSITORY", d.runImageRepository()),
        env.getOrDefault("DBT_PLATFORM_DEFAULT_DBT_VERSION", d.defaultDbtVersion()),
        env.getOrDefault("DBT_PLATFORM_FLUSH_IMAGE", d.flushImage()),
        new ObjectStore(
            env.getOrDefault("DBT_PLATFORM_S3_ENDPOINT", s.endpoint()),
            env.getOrDefault("DBT_PLATFORM_S3_REGION", s.region()),
            env.getOrDefault("DBT_PLATFORM_S3_BUCKET", s.bucket()),
            Boolean.parseBoolean(env.getOrDefault("DBT_PLATFORM_S3_PATH_STYLE", String.valueOf(s.pathStyle()))),
            env.getOrDefault("DBT_PLATFORM_S3_KEY_PREFIX", s.keyPrefix()),
            env.getOrDefault("DBT_PLATFORM_S3_CREDENTIALS_SECRET", s.credentialsSecret()),
            env.getOrDefault("DBT_PLATFORM_S3_CREDENTIALS_NAMESPACE", s.credentialsNamespace()),
            Long.parseLong(env.getOrDefault("DBT_PLATFORM_FLUSH_RETRY_SECONDS", String.valueOf(s.retrySeconds())))),
        env.getOrDefault("DBT_PLATFORM_RUN_VOLUME_SIZE", d.runVolumeSize()),
        env.getOrDefault("DBT_PLATFORM_STORAGE_CLASS", d.storageClass()),
        env.getOrDefault("DBT_PLATFORM_DEFAULT_ACCOUNT_ID", d.defaultAccountId()),
        d.startTimeout(), d.timeoutGrace(), d.flushBackoff(), d.flushBackoffMax(), d.referenceWait(),
        Integer.parseInt(env.getOrDefault("DBT_PLATFORM_METRICS_PORT", String.valueOf(d.metricsPort()))),
        Cleanup.fromEnv(env),
        scheduleCatchUpFromEnv(env, d.scheduleCatchUp()),
        runSlotsFromEnv(env),
        Develop.fromEnv(env),
        LeaderElection.fromEnv(env));
  }

  private static Duration scheduleCatchUpFromEnv(Map<String, String> env, Duration otherwise) {
    long seconds = Long.parseLong(env.getOrDefault(SCHEDULE_CATCHUP_SECONDS, String.valueOf(otherwise.toSeconds())).strip());
    // a fire is handled a little after its time; with no time at all allowed, none would start
    if (seconds < 1) {
      throw new IllegalArgumentException(SCHEDULE_CATCHUP_SECONDS + " must be 1 or more, got " + seconds);
    }
    return Duration.ofSeconds(seconds);
  }

  private static int runSlotsFromEnv(Map<String, String> env) {
    int slots = Integer.parseInt(env.getOrDefault(RUN_SLOTS, "0").strip());
    if (slots < 0) {
      throw new IllegalArgumentException(RUN_SLOTS + " must be 0 (no limit) or more, got " + slots);
    }
    return slots;
  }

  public OperatorConfig withObjectStore(ObjectStore store) {
    return with(c -> c.objectStore = store);
  }

  public OperatorConfig withTimings(Duration startTimeout, Duration timeoutGrace, Duration flushBackoff, Duration referenceWait) {
    return with(c -> {
      c.startTimeout = startTimeout;
      c.timeoutGrace = timeoutGrace;
      c.flushBackoff = flushBackoff;
      c.referenceWait = referenceWait;
    });
  }

  public OperatorConfig withMetricsPort(int port) {
    return with(c -> c.metricsPort = port);
  }

  public OperatorConfig withCleanup(Cleanup settings) {
    return with(c -> c.cleanup = settings);
  }

  public OperatorConfig withScheduleCatchUp(Duration catchUp) {
    return with(c -> c.scheduleCatchUp = catchUp);
  }

  public OperatorConfig withRunSlots(int slots) {
    return with(c -> c.runSlots = slots);
  }

  public OperatorConfig withDevelop(Develop settings) {
    return with(c -> c.develop = settings);
  }

  public OperatorConfig withLeaderElection(LeaderElection settings) {
    return with(c -> c.leaderElection = settings);
  }

  /** A copy with some settings changed: each wither names only what it changes. */
  private OperatorConfig with(Consumer<Copy> change) {
    Copy copy = new Copy(this);
    change.accept(copy);
    return copy.build();
  }

  /** The settings as fields to change; a new setting is added here and in the record only. */
  private static final class Copy {
    Set<String> namespaces;
    String runImageRepository;
    String defaultDbtVersion;
    String flushImage;
    ObjectStore objectStore;
    String runVolumeSize;
    String storageClass;
    String defaultAccountId;
    Duration startTimeout;
    Duration timeoutGrace;
    Duration flushBackoff;
    Duration flushBackoffMax;
    Duration referenceWait;
    int metricsPort;
    Cleanup cleanup;
    Duration scheduleCatchUp;
    int runSlots;
    Develop develop;
    LeaderElection leaderElection;

    Copy(OperatorConfig c) {
      namespaces = c.namespaces;
      runImageRepository = c.runImageRepository;
      defaultDbtVersion = c.defaultDbtVersion;
      flushImage = c.flushImage;
      objectStore = c.objectStore;
      runVolumeSize = c.runVolumeSize;
      storageClass = c.storageClass;
      defaultAccountId = c.defaultAccountId;
      startTimeout = c.startTimeout;
      timeoutGrace = c.timeoutGrace;
      flushBackoff = c.flushBackoff;
      flushBackoffMax = c.flushBackoffMax;
      referenceWait = c.referenceWait;
      metricsPort = c.metricsPort;
      cleanup = c.cleanup;
      scheduleCatchUp = c.scheduleCatchUp;
      runSlots = c.runSlots;
      develop = c.develop;
      leaderElection = c.leaderElection;
    }

    OperatorConfig build() {
      return new OperatorConfig(namespaces, runImageRepository, defaultDbtVersion, flushImage, objectStore, runVolumeSize,
          storageClass, defaultAccountId, startTimeout, timeoutGrace, flushBackoff, flushBackoffMax, referenceWait,
          metricsPort, cleanup, scheduleCatchUp, runSlots, develop, leaderElection);
    }
  }

  /** The develop runtime image for a dbt version, like the run runtime's. */
  public String developImage(String dbtVersion) {
    return develop.imageRepository() + ":dbt-" + (dbtVersion == null || dbtVersion.isBlank() ? defaultDbtVersion : dbtVersion);
  }

  private static Set<String> splitSet(String value) {
    if (value == null || value.isBlank()) {
      return Set.of();
    }
    return Set.of(value.trim().split("\\s*,\\s*"));
  }
}
