package dev.dbtplatform.operator;

import dev.dbtplatform.operator.cleanup.CleanupMetrics;
import dev.dbtplatform.operator.cleanup.CleanupSweeper;
import dev.dbtplatform.operator.develop.DevelopSessionReconciler;
import dev.dbtplatform.operator.environment.DbtEnvironmentReconciler;
import dev.dbtplatform.operator.job.DbtJobReconciler;
import dev.dbtplatform.operator.metrics.DevelopMetrics;
import dev.dbtplatform.operator.metrics.MetricsServer;
import dev.dbtplatform.operator.metrics.RunMetrics;
import dev.dbtplatform.operator.metrics.SchedulerMetrics;
import dev.dbtplatform.operator.run.DbtRunReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;

/**
 * The operator: the DbtRun, DbtEnvironment, DbtJob (scheduler) and DbtDevelopSession reconcilers on
 * JOSDK, with metrics, and the cleanup sweeper; with leader election when several replicas run.
 * Works the same against a real cluster and against the embedded API stand-in.
 */
public final class DbtPlatformOperator implements AutoCloseable {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DbtPlatformOperator.class);
  private final Operator operator;
  private final PrometheusMeterRegistry registry;
  private final MetricsServer metricsServer;
  private final CleanupSweeper cleanup;

  private DbtPlatformOperator(Operator operator, PrometheusMeterRegistry registry, MetricsServer metricsServer,
                              CleanupSweeper cleanup) {
    this.operator = operator;
    this.registry = registry;
    this.metricsServer = metricsServer;
    this.cleanup = cleanup;
  }

  /**
   * Registers the reconcilers and starts them; returns once the caches are in sync. The operator
   * takes only the configuration of the given client (which stays the caller's to close) and
   * connects through a client of its own that reads objects leniently (see
   * {@link LenientSerialization}) and that it closes on {@link #close()}.
   */
  public static DbtPlatformOperator start(KubernetesClient cluster, OperatorConfig config, Clock clock) {
    KubernetesClient client = new KubernetesClientBuilder()
        .withConfig(cluster.getConfiguration())
        .withKubernetesSerialization(LenientSerialization.create())
        .build();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Like the reconcilers, the sweeper works only in the replica that leads (in the only one without election).
    CleanupSweeper cleanup = config.cleanup().enabled()
        ? new CleanupSweeper(client, config.namespaces(), config.cleanup(), new CleanupMetrics(registry), clock)
        : null;
    Runnable startSweeping = () -> {
      if (cleanup != null) {
        cleanup.start(config.cleanup().interval());
      }
    };
    Operator operator = new Operator(o -> o
        .withKubernetesClient(client)
        // Per controller, not per resource: meters tagged with each run's name would keep several
        // timers and counters alive for every run the operator ever saw (kilobytes each), and a
        // scrape would carry a series per run.
        .withMetrics(MicrometerMetrics.newMicrometerMetricsBuilder(registry).notCollectingMetricsPerResource().build())
        // No server-side apply: not every API server this runs against has it (the embedded
        // stand-in has none). Status is written by StatusWriter.
        .withUseSSAToPatchPrimaryResource(false)
        .withSSABasedCreateUpdateMatchForDependentResources(false)
        .withCloseClientOnStop(true)
        .withStopOnInformerErrorDuringStartup(true)
        .withCacheSyncTimeout(Duration.ofMinutes(2))
        .withLeaderElectionConfiguration(leaderElection(config.leaderElection(), startSweeping)));
    RunMetrics runMetrics = new RunMetrics(registry);
    operator.register(new DbtRunReconciler(client, config, runMetrics, clock), c -> {
      c.withName("dbtrun");
      // Every event matters (pod status changes, timers), not only spec generations.
      c.withGenerationAware(false);
      if (!config.namespaces().isEmpty()) {
        c.settingNamespaces(config.namespaces());
      }
    });
    operator.register(new DbtEnvironmentReconciler(client, clock), c -> {
      c.withName("dbtenvironment");
      if (!config.namespaces().isEmpty()) {
        c.settingNamespaces(config.namespaces());
      }
    });
    operator.register(new DbtJobReconciler(client, config.scheduleCatchUp(), new SchedulerMetrics(registry), clock), c -> {
      c.withName("dbtjob");
      if (!config.namespaces().isEmpty()) {
        c.settingNamespaces(config.namespaces());
      }
    });
    operator.register(new DevelopSessionReconciler(client, config, new DevelopMetrics(registry), clock), c -> {
      c.withName("dbtdevelopsession");
      // Activity arrives as annotation changes, which do not change the generation.
      c.withGenerationAware(false);
      if (!config.namespaces().isEmpty()) {
        c.settingNamespaces(config.namespaces());
      }
    });
    operator.start();
    MetricsServer server = config.metricsPort() >= 0
        ? new MetricsServer(config.metricsPort(), registry, () -> operator.getRuntimeInfo().allEventSourcesAreHealthy())
        : null;
    if (config.leaderElection() == null) {
      startSweeping.run();
    }
    return new DbtPlatformOperator(operator, registry, server, cleanup);
  }

  /**
   * JOSDK's leader election: every replica starts its informers (so a new leader takes over with
   * warm caches) but only the holder of the Lease reconciles. Null turns it off.
   */
  private static LeaderElectionConfiguration leaderElection(OperatorConfig.LeaderElection settings, Runnable onLeading) {
    if (settings == null) {
      return null;
    }
    return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(settings.leaseName())
        .withLeaseNamespace(settings.namespace())
        .withLeaderCallbacks(new LeaderCallbacks(onLeading, () -> log.info("lost the lease {}", settings.leaseName()),
            leader -> log.info("the leader is now {}", leader)))
        .withExitOnStopLeading(settings.exitOnLoss())
        .build();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The port /metrics listens on, or -1 when disabled. */
  public int metricsPort() {
    return metricsServer == null ? -1 : metricsServer.port();
  }

  @Override
  public void close() {
    if (cleanup != null) {
      cleanup.close(); // before the operator stops: that closes the client the sweeper uses
    }
    if (metricsServer != null) {
      metricsServer.close();
    }
    operator.stop();
  }
}
