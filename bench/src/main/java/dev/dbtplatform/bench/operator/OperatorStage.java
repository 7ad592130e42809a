package dev.dbtplatform.bench.operator;

import dev.dbtplatform.embedded.EmbeddedKubernetes;
import dev.dbtplatform.operator.DbtPlatformOperator;
import dev.dbtplatform.operator.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;

/**
 * A fresh API stand-in with the project and environment the runs use, a {@link FastNode}, the
 * operator (in this JVM, with its own client, as DbtPlatformOperator.start makes it) and a
 * {@link RunObserver}. Each measurement gets its own, so none pays for objects another left.
 */
final class OperatorStage implements AutoCloseable {
  /** Object store settings do not matter: the fast node completes flush Jobs without uploading. */
  static final OperatorConfig CONFIG = OperatorConfig.defaults().withMetricsPort(-1);

  final EmbeddedKubernetes kubernetes;
  /** The benchmark's own: it submits runs and watches them. */
  final KubernetesClient client;
  private final KubernetesClient nodeClient;
  /** Only lends its configuration: the operator connects through a client of its own. */
  private final KubernetesClient operatorClient;
  final FastNode node;
  final DbtPlatformOperator operator;
  final RunObserver observer;

  OperatorStage(Duration runTime) {
    kubernetes = QuietStandIn.start();
    client = kubernetes.newClient();
    nodeClient = kubernetes.newClient();
    operatorClient = kubernetes.newClient();
    BenchRuns.applyEnvironment(client);
    node = new FastNode(nodeClient, runTime, 4).start();
    operator = DbtPlatformOperator.start(operatorClient, CONFIG, Clock.systemUTC());
    observer = new RunObserver(client);
  }

  @Override
  public void close() {
    observer.close();
    operator.close();
    node.close();
    operatorClient.close();
    nodeClient.close();
    client.close();
    kubernetes.close();
  }
}
