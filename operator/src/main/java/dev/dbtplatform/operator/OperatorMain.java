package dev.dbtplatform.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the operator against the cluster of the current kubeconfig (the KUBECONFIG variable or
 * the kubeconfig system property), or the one it runs in. Configuration comes from
 * DBT_PLATFORM_* environment variables (see {@link OperatorConfig}).
 */
public final class OperatorMain {
  private static final Logger log = LoggerFactory.getLogger(OperatorMain.class);

  private OperatorMain() {}

  public static void main(String[] args) throws InterruptedException {
    Running running = start(System.getenv());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      running.close();
      stopped.countDown();
    }, "operator-shutdown"));
    stopped.await();
  }

  /** The operator and the client it owns. */
  public record Running(DbtPlatformOperator operator, KubernetesClient client) implements AutoCloseable {
    @Override
    public void close() {
      operator.close();
      client.close();
    }
  }

  public static Running start(Map<String, String> env) {
    OperatorConfig config = OperatorConfig.fromEnv(env);
    KubernetesClient client = new KubernetesClientBuilder().build();
    DbtPlatformOperator operator = DbtPlatformOperator.start(client, config, Clock.systemUTC());
    log.info("dbt-platform operator started against {}; metrics on port {}",
        client.getConfiguration().getMasterUrl(), operator.metricsPort());
    return new Running(operator, client);
  }
}
