package dev.dbtplatform.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunSpec;
import dev.dbtplatform.crd.RunPhase;
import dev.dbtplatform.embedded.EmbeddedKubernetes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator started the way a Deployment or `make run ARGS=--kubeconfig` starts it. */
class OperatorMainTest {

  @Test
  void startsAgainstTheClusterOfAKubeconfigAndReconcilesRuns(@TempDir Path dir) throws Exception {
    try (EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start()) {
      Path kubeconfig = dir.resolve("config");
      Files.writeString(kubeconfig, """
          apiVersion: v1
          kind: Config
          clusters:
          - name: embedded
            cluster: {server: "%s"}
          contexts:
          - name: embedded
            context: {cluster: embedded, user: embedded, namespace: default}
          current-context: embedded
          users:
          - name: embedded
            user: {token: not-checked}
          """.formatted(kubernetes.url()));
      String previous = System.getProperty("kubeconfig");
      System.setProperty("kubeconfig", kubeconfig.toString());
      try (OperatorMain.Running running = OperatorMain.start(Map.of(
          "DBT_PLATFORM_METRICS_PORT", "0", "DBT_PLATFORM_NAMESPACES", "default"))) {
        assertThat(running.client().getConfiguration().getMasterUrl()).startsWith(kubernetes.url());
        DbtRunSpec spec = new DbtRunSpec();
        spec.steps = List.of("make build");
        kubernetes.client().resource(new DbtRun("default", "from-kubeconfig", spec)).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
          DbtRun run = kubernetes.client().resources(DbtRun.class).inNamespace("default").withName("from-kubeconfig").get();
          return run.getStatus() != null && run.getStatus().phase == RunPhase.Failed
              && "InvalidSpec".equals(run.getStatus().reason);
        });
      } finally {
        if (previous == null) {
          System.clearProperty("kubeconfig");
        } else {
          System.setProperty("kubeconfig", previous);
        }
      }
    }
  }
}
