package dev.dbtplatform.embedded;

import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.crd.CrdFiles;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.HashMap;

/**
 * A Kubernetes API stand-in on 127.0.0.1: fabric8's mock server in CRUD mode with the
 * dbt-platform CRDs installed (the mock honours the status subresource only for installed CRDs).
 * It stores and watches objects; it has no scheduler, kubelet, garbage collector or admission.
 * Pod logs ({@code pods/{name}/log}) come from a {@link PodLogs}, since what runs the pods has them.
 */
public final class EmbeddedKubernetes implements AutoCloseable {
  private final KubernetesMockServer server;
  private final KubernetesClient client;

  private EmbeddedKubernetes(KubernetesMockServer server) {
    this.server = server;
    this.client = server.createClient();
  }

  /** Starts on a free port with the CRDs installed; no pod has a log. */
  public static EmbeddedKubernetes start() {
    return start(0, PodLogs.NONE);
  }

  /** Starts on a free port with the CRDs installed, serving pod logs from {@code logs}. */
  public static EmbeddedKubernetes start(PodLogs logs) {
    return start(0, logs);
  }

  public static EmbeddedKubernetes start(int port) {
    return start(port, PodLogs.NONE);
  }

  public static EmbeddedKubernetes start(int port, PodLogs logs) {
    KubernetesMockServer server = new KubernetesMockServer(
        new Context(), new MockWebServer(), new HashMap<>(), new PodLogDispatcher(logs), false);
    try {
      server.init(InetAddress.getLoopbackAddress(), port);
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot start the embedded Kubernetes API on port " + port, e);
    }
    EmbeddedKubernetes kubernetes = new EmbeddedKubernetes(server);
    kubernetes.installCrds();
    return kubernetes;
  }

  /** A client of its own for each caller, as separate processes would have. */
  public KubernetesClient newClient() {
    return server.createClient();
  }

  /** The client used to install the CRDs; shared, do not close. */
  public KubernetesClient client() {
    return client;
  }

  public String url() {
    return client.getConfiguration().getMasterUrl();
  }

  private void installCrds() {
    for (String file : ApiGroup.CRD_FILES) {
      try (InputStream in = getClass().getClassLoader().getResourceAsStream(CrdFiles.classpathResource(file))) {
        if (in == null) {
          throw new IllegalStateException("CRD " + file + " is not on the classpath: build the crds module first");
        }
        CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
