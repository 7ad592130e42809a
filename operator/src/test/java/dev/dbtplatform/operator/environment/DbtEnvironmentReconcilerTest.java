package dev.dbtplatform.operator.environment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbtplatform.crd.DbtEnvironment;
import dev.dbtplatform.crd.DbtEnvironmentSpec;
import dev.dbtplatform.crd.DbtProject;
import dev.dbtplatform.crd.DbtProjectSpec;
import dev.dbtplatform.crd.GitSource;
import dev.dbtplatform.crd.ObjectRef;
import dev.dbtplatform.crd.WarehouseConnection;
import dev.dbtplatform.embedded.EmbeddedKubernetes;
import dev.dbtplatform.operator.UncachedContext;
import dev.dbtplatform.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** An environment is Ready once its project and warehouse Secret exist, and says which is missing until then. */
class DbtEnvironmentReconcilerTest {

  @Test
  void readyOnlyWhenProjectAndSecretExist() {
    try (EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start()) {
      KubernetesClient client = kubernetes.client();
      DbtEnvironmentReconciler reconciler = new DbtEnvironmentReconciler(client, Clock.systemUTC());
      DbtEnvironment env = new DbtEnvironment();
      env.getMetadata().setName("prod");
      env.getMetadata().setNamespace("default");
      env.setSpec(new DbtEnvironmentSpec());
      env.getSpec().projectRef = ObjectRef.named("shop");
      env.getSpec().warehouse = new WarehouseConnection("postgres", "warehouse-credentials");
      client.resource(env).create();

      Condition ready = reconcile(reconciler, client);
      assertThat(ready.getStatus()).isEqualTo("False");
      assertThat(ready.getReason()).isEqualTo("ProjectNotFound");
      assertThat(ready.getMessage()).isEqualTo("DbtProject 'shop' not found in namespace default");

      DbtProject project = new DbtProject();
      project.getMetadata().setName("shop");
      project.getMetadata().setNamespace("default");
      project.setSpec(new DbtProjectSpec());
      project.getSpec().git = new GitSource();
      project.getSpec().git.url = "https://git.example.com/shop.git";
      client.resource(project).create();
      ready = reconcile(reconciler, client);
      assertThat(ready.getReason()).isEqualTo("SecretNotFound");
      assertThat(ready.getMessage()).contains("Secret 'warehouse-credentials'");

      client.resource(new SecretBuilder().withNewMetadata().withName("warehouse-credentials").withNamespace("default")
          .endMetadata().addToStringData("host", "db").build()).create();
      ready = reconcile(reconciler, client);
      assertThat(ready.getStatus()).isEqualTo("True");
      assertThat(ready.getReason()).isEqualTo("Ready");
    }
  }

  private static Condition reconcile(DbtEnvironmentReconciler reconciler, KubernetesClient client) {
    reconciler.reconcile(client.resources(DbtEnvironment.class).inNamespace("default").withName("prod").get(),
        new UncachedContext<>(client));
    DbtEnvironment stored = client.resources(DbtEnvironment.class).inNamespace("default").withName("prod").get();
    return Conditions.find(stored.getStatus().conditions, DbtEnvironmentReconciler.READY);
  }
}
