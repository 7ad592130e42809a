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
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;

/**
 * The operator: the DbtRun, DbtEnvironment and DbtJob (scheduler) reconcilers on JOSDK, with metrics, and the cleanup sweeper. Works the same against a real
 * cluster and against the embedded API stand-in.
 */
public final class DbtPlatformOperator implements AutoCloseable {
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
    Operator operator = new Operator(o -> o
        .withKubernetesClient(client)
        .withMetrics(MicrometerMetrics.newMicrometerMetricsBuilder(registry).build())
        // No server-side apply: not every API server this runs against has it (the embedded
        // stand-in has none). Status is written by StatusWriter.
        .withUseSSAToPatchPrimaryResource(false)
        .withSSABasedCreateUpdateMatchForDependentResources(false)
        .withCloseClientOnStop(true)
        .withStopOnInformerErrorDuringStartup(true)
        .withCacheSyncTimeout(Duration.ofMinutes(2)));
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
    CleanupSweeper cleanup = config.cleanup().enabled()
        ? new CleanupSweeper(client, config.namespaces(), config.cleanup(), new CleanupMetrics(registry), clock)
            .start(config.cleanup().interval())
        : null;
    return new DbtPlatformOperator(operator, registry, server, cleanup);
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
