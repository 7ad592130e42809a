package dev.dbtplatform.local.node;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The kubelet's readiness probes, for the local node: an httpGet probe passes on a status from
 * 200 to 399, a tcpSocket probe when it connects, both at the pod's address. A container with a
 * probe is ready only while its probe passes, so "Ready" means what it means in a cluster (the
 * server in the pod answers). Exec probes are not run: such a container counts as ready once it
 * runs.
 */
final class ReadinessProbes {
  private ReadinessProbes() {}

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  static boolean hasCheckableProbe(Container container) {
    Probe probe = container.getReadinessProbe();
    return probe != null && (probe.getHttpGet() != null || probe.getTcpSocket() != null);
  }

  static Duration period(Container container) {
    Integer seconds = container.getReadinessProbe().getPeriodSeconds();
    return Duration.ofSeconds(seconds == null || seconds < 1 ? 10 : seconds);
  }

  static Duration initialDelay(Container container) {
    Integer seconds = container.getReadinessProbe().getInitialDelaySeconds();
    return Duration.ofSeconds(seconds == null || seconds < 0 ? 0 : seconds);
  }

  /** Runs the probe once; never throws. */
  static boolean passes(Pod pod, Container container) {
    Probe probe = container.getReadinessProbe();
    Duration timeout = Duration.ofSeconds(probe.getTimeoutSeconds() == null || probe.getTimeoutSeconds() < 1
        ? 1 : probe.getTimeoutSeconds());
    String host = PodAddresses.of(pod);
    try {
      if (probe.getHttpGet() != null) {
        int port = port(container, probe.getHttpGet().getPort());
        String path = probe.getHttpGet().getPath() == null ? "/" : probe.getHttpGet().getPath();
        HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://" + host + ":" + port + (path.startsWith("/") ? path : "/" + path)))
            .timeout(timeout).GET().build(), HttpResponse.BodyHandlers.discarding());
        return response.statusCode() >= 200 && response.statusCode() < 400;
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(host, port(container, probe.getTcpSocket().getPort())),
            (int) timeout.toMillis());
        return true;
      }
    } catch (IOException | IllegalArgumentException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A probe's port: a number, or the name of one of the container's ports. */
  static int port(Container container, IntOrString port) {
    if (port == null) {
      throw new IllegalArgumentException("probe without a port");
    }
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    return EnvResolver.nullSafe(container.getPorts()).stream()
        .filter(p -> port.getStrVal().equals(p.getName()))
        .map(ContainerPort::getContainerPort)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no container port named " + port.getStrVal()));
  }
}
