package dev.dbtplatform.local.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Pods on this machine get loopback addresses of their own, on which two servers share a port. */
class PodAddressesTest {
  @Test
  void eachPodHasItsOwnStableLoopbackAddress() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      Pod pod = pod(UUID.randomUUID().toString());
      String ip = PodAddresses.of(pod);
      assertThat(PodAddresses.of(pod)).isEqualTo(ip);
      assertThat(ip).startsWith("127.");
      seen.add(ip);
    }
    assertThat(seen).hasSizeGreaterThan(PodAddresses.DISTINCT ? 45 : 0);
  }

  @Test
  void twoPodsCanListenOnTheSamePort() throws Exception {
    assumeTrue(PodAddresses.DISTINCT, "only Linux routes all of 127.0.0.0/8 to the loopback interface");
    try (ServerSocket first = new ServerSocket()) {
      first.bind(new InetSocketAddress(InetAddress.getByName(PodAddresses.of(pod("a"))), 0));
      try (ServerSocket second = new ServerSocket()) {
        second.bind(new InetSocketAddress(InetAddress.getByName(PodAddresses.of(pod("b"))), first.getLocalPort()));
        assertThat(second.getLocalPort()).isEqualTo(first.getLocalPort());
      }
    }
  }

  private static Pod pod(String uid) {
    return new PodBuilder().withNewMetadata().withName("p").withUid(uid).endMetadata().build();
  }
}
