package dev.dbtplatform.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbtplatform.crd.DbtRun;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stand-in finds one named object through its index: what clients see is what the mock's
 * scan of every object gives, through creates, label changes, patches, finalizers and deletes,
 * with many other objects around.
 */
class EmbeddedKubernetesStoreTest {
  static EmbeddedKubernetes kubernetes;
  static KubernetesClient client;

  @BeforeAll
  static void start() {
    kubernetes = EmbeddedKubernetes.start();
    client = kubernetes.newClient();
    for (int i = 0; i < 200; i++) {
      client.configMaps().inNamespace(i % 2 == 0 ? "a" : "b").resource(configMap("other-" + i, "x")).create();
    }
  }

  @AfterAll
  static void stop() {
    client.close();
    kubernetes.close();
  }

  static ConfigMap configMap(String name, String label) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).withLabels(Map.of("l", label)).endMetadata()
        .withData(Map.of("k", "v")).build();
  }

  @Test
  void oneObjectIsFoundByNameInItsNamespaceOnlyAndAcrossLabelChanges() {
    client.configMaps().inNamespace("a").resource(configMap("same", "first")).create();
    assertThat(client.configMaps().inNamespace("a").withName("same").get().getMetadata().getLabels())
        .containsEntry("l", "first");
    assertThat(client.configMaps().inNamespace("b").withName("same").get()).isNull();
    assertThatThrownBy(() -> client.configMaps().inNamespace("a").resource(configMap("same", "again")).create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(409));

    client.configMaps().inNamespace("a").withName("same")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"l\":\"second\"}}}");
    ConfigMap patched = client.configMaps().inNamespace("a").withName("same").get();
    assertThat(patched.getMetadata().getLabels()).containsEntry("l", "second");
    assertThat(client.configMaps().inNamespace("a").withLabel("l", "second").list().getItems())
        .extracting(c -> c.getMetadata().getName()).containsExactly("same");
    assertThat(client.configMaps().inNamespace("a").withLabel("l", "first").list().getItems()).isEmpty();

    patched.getData().put("k", "updated");
    client.configMaps().inNamespace("a").resource(patched).update();
    assertThat(client.configMaps().inNamespace("a").withName("same").get().getData()).containsEntry("k", "updated");

    assertThat(client.configMaps().inNamespace("a").withName("same").delete()).hasSize(1);
    assertThat(client.configMaps().inNamespace("a").withName("same").get()).isNull();
    assertThat(client.configMaps().inNamespace("a").withName("same").delete()).isEmpty();
    assertThat(client.configMaps().inNamespace("a").list().getItems()).hasSize(100);
  }

  @Test
  void anObjectWithAFinalizerIsOnlyMarkedUntilTheFinalizerGoes() throws InterruptedException {
    ConfigMap held = configMap("held", "x");
    held.getMetadata().setFinalizers(java.util.List.of("example.com/hold"));
    held = client.configMaps().inNamespace("b").resource(held).create();

    java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    var watch = client.configMaps().inNamespace("b").withName("held").watch(new io.fabric8.kubernetes.client.Watcher<>() {
      @Override
      public void eventReceived(Action action, ConfigMap resource) {
        seen.add(action + " " + (resource.getMetadata().getDeletionTimestamp() != null));
      }

      @Override
      public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
      }
    });
    client.configMaps().inNamespace("b").withName("held").delete();
    for (int i = 0; i < 100 && !seen.contains("MODIFIED true"); i++) {
      Thread.sleep(50);
    }
    assertThat(seen).contains("MODIFIED true");
    watch.close();
    ConfigMap marked = client.configMaps().inNamespace("b").withName("held").get();
    assertThat(marked).isNotNull();
    assertThat(marked.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(marked.getMetadata().getResourceVersion()).isNotEqualTo(held.getMetadata().getResourceVersion());

    client.configMaps().inNamespace("b").withName("held")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}");
    client.configMaps().inNamespace("b").withName("held").delete();
    assertThat(client.configMaps().inNamespace("b").withName("held").get()).isNull();
  }

  @Test
  void customResourcesAndTheirStatusAndClusterScopedObjectsAreFound() {
    DbtRun run = new DbtRun();
    run.getMetadata().setName("indexed");
    run.setSpec(new dev.dbtplatform.crd.DbtRunSpec());
    client.resources(DbtRun.class).inNamespace("a").resource(run).create();
    DbtRun stored = client.resources(DbtRun.class).inNamespace("a").withName("indexed").get();
    stored.setStatus(new dev.dbtplatform.crd.DbtRunStatus());
    stored.getStatus().phase = dev.dbtplatform.crd.RunPhase.Running;
    client.resources(DbtRun.class).inNamespace("a").resource(stored).updateStatus();
    assertThat(client.resources(DbtRun.class).inNamespace("a").withName("indexed").get().getStatus().phase)
        .isEqualTo(dev.dbtplatform.crd.RunPhase.Running);

    Namespace namespace = new NamespaceBuilder().withNewMetadata().withName("cluster-wide").endMetadata().build();
    client.namespaces().resource(namespace).create();
    assertThat(client.namespaces().withName("cluster-wide").get()).isNotNull();
    client.namespaces().withName("cluster-wide").delete();
    assertThat(client.namespaces().withName("cluster-wide").get()).isNull();
  }

  @Test
  void theIndexNamesOnlyQueriesForOneObject() {
    assertThat(StoredObjects.identity(new io.fabric8.mockwebserver.crud.AttributeSet(
        new io.fabric8.mockwebserver.crud.Attribute("plural", "pods"),
        new io.fabric8.mockwebserver.crud.Attribute("namespace", "a"),
        new io.fabric8.mockwebserver.crud.Attribute("name", "p")))).isEqualTo("pods/a/p");
    assertThat(StoredObjects.identity(new io.fabric8.mockwebserver.crud.AttributeSet(
        new io.fabric8.mockwebserver.crud.Attribute("plural", "pods"),
        new io.fabric8.mockwebserver.crud.Attribute("namespace", "a")))).isNull();
    assertThat(StoredObjects.identity(new io.fabric8.mockwebserver.crud.AttributeSet(
        new io.fabric8.mockwebserver.crud.Attribute("plural", "pods"),
        new io.fabric8.mockwebserver.crud.Attribute("namespace", "a"),
        new io.fabric8.mockwebserver.crud.Attribute("name", "*")))).isNull();
  }

  @Test
  void aStatusReplaceFromAnOlderVersionIsRefusedAsAnApiServerRefusesIt() {
    dev.dbtplatform.crd.DbtRunSpec spec = new dev.dbtplatform.crd.DbtRunSpec();
    spec.steps = java.util.List.of("dbt build");
    client.resource(new DbtRun("a", "versioned", spec)).create();
    DbtRun first = client.resources(DbtRun.class).inNamespace("a").withName("versioned").get();
    DbtRun older = client.resources(DbtRun.class).inNamespace("a").withName("versioned").get();

    first.setStatus(new dev.dbtplatform.crd.DbtRunStatus());
    first.getStatus().message = "first";
    DbtRun written = client.resources(DbtRun.class).inNamespace("a").resource(first).updateStatus();
    assertThat(written.getMetadata().getResourceVersion()).isNotEqualTo(first.getMetadata().getResourceVersion());

    older.setStatus(new dev.dbtplatform.crd.DbtRunStatus());
    older.getStatus().message = "from the older version";
    assertThatThrownBy(() -> client.resources(DbtRun.class).inNamespace("a").resource(older).updateStatus())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(409));
    assertThat(client.resources(DbtRun.class).inNamespace("a").withName("versioned").get().getStatus().message)
        .isEqualTo("first");

    written.getStatus().message = "second";
    client.resources(DbtRun.class).inNamespace("a").resource(written).updateStatus();
    assertThat(client.resources(DbtRun.class).inNamespace("a").withName("versioned").get().getStatus().message)
        .isEqualTo("second");
  }
}
