package dev.dbtplatform.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbtplatform.crd.DbtEnvironment;
import dev.dbtplatform.crd.DbtEnvironmentSpec;
import dev.dbtplatform.crd.ObjectRef;
import dev.dbtplatform.crd.WarehouseConnection;
import dev.dbtplatform.embedded.EmbeddedKubernetes;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Two operator replicas with leader election: only the holder of the Lease reconciles and sweeps;
 * when it stops, the other takes over.
 */
class LeaderElectionTest {
  static final OperatorConfig CONFIG = OperatorConfig.defaults()
      .withMetricsPort(-1)
      .withCleanup(new OperatorConfig.Cleanup(Duration.ofDays(1), Duration.ofMillis(200)))
      .withLeaderElection(new OperatorConfig.LeaderElection("dbt-platform-operator", "default", false));

  @Test
  void onlyTheLeaderWorksAndTheOtherTakesOverWhenItStops() {
    try (EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start(); KubernetesClient client = kubernetes.newClient()) {
      DbtPlatformOperator first = DbtPlatformOperator.start(kubernetes.newClient(), CONFIG, Clock.systemUTC());
      await().atMost(Duration.ofSeconds(20)).until(() -> lease(client) != null);
      DbtPlatformOperator second = DbtPlatformOperator.start(kubernetes.newClient(), CONFIG, Clock.systemUTC());
      try {
        client.resource(environment("one")).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> reconciles(first) > 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> sweeps(first));
        assertThat(reconciles(second)).as("the standby reconciles nothing").isZero();
        assertThat(sweeps(second)).as("nor sweeps").isFalse();

        first.close();
        client.resource(environment("two")).create();
        await().atMost(Duration.ofSeconds(60)).until(() -> reconciles(second) > 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> sweeps(second));
      } finally {
        second.close();
      }
    }
  }

  /** JOSDK's count of reconciles started, summed over controllers. */
  private static double reconciles(DbtPlatformOperator operator) {
    return operator.registry().getMeters().stream()
        .filter(m -> m.getId().getName().startsWith("operator.sdk.reconciliations.started"))
        .flatMap(m -> java.util.stream.StreamSupport.stream(m.measure().spliterator(), false))
        .mapToDouble(io.micrometer.core.instrument.Measurement::getValue)
        .sum();
  }

  private static boolean sweeps(DbtPlatformOperator operator) {
    return operator.registry().scrape().contains("dbt_platform_cleanup_passes_total{result=\"succeeded\"}");
  }

  private static Lease lease(KubernetesClient client) {
    return client.leases().inNamespace("default").withName("dbt-platform-operator").get();
  }

  private static DbtEnvironment environment(String name) {
    DbtEnvironment env = new DbtEnvironment();
    env.getMetadata().setName(name);
    env.getMetadata().setNamespace("default");
    env.setSpec(new DbtEnvironmentSpec());
    env.getSpec().projectRef = ObjectRef.named("shop");
    env.getSpec().warehouse = new WarehouseConnection("postgres", "warehouse");
    return env;
  }
}
