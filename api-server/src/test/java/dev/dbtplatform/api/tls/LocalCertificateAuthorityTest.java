package dev.dbtplatform.api.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCertificateAuthorityTest {
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final int DNS = 2;
  private static final int IP = 7;

  @TempDir
  Path dir;

  @Test
  void makesACaAndAServerCertificateForTheNames() throws Exception {
    LocalTls tls = LocalCertificateAuthority.create(dir, List.of("localhost", "api.example.test"), List.of("127.0.0.1"));

    assertThat(tls.caCertificate()).isEqualTo(dir.resolve("ca.crt"));
    X509Certificate ca = PemFiles.certificates(tls.caCertificate()).get(0);
    assertThat(ca.getBasicConstraints()).as("CA:true").isGreaterThanOrEqualTo(0);
    assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
    assertThat(ca.getSubjectX500Principal().getName()).startsWith("CN=dbt-platform local CA");

    List<X509Certificate> chain = TestCertificates.chain(tls.server().keyStore());
    X509Certificate server = chain.get(0);
    assertThat(chain).containsExactly(server, ca);
    server.verify(ca.getPublicKey());
    assertThat(server.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
        List.of(DNS, "localhost"), List.of(DNS, "api.example.test"), List.of(IP, "127.0.0.1"));
    assertThat(server.getBasicConstraints()).as("not a CA").isEqualTo(-1);
    assertThat(server.getKeyUsage()[0]).as("digitalSignature").isTrue();
    assertThat(server.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
    assertThat(server.getPublicKey().getAlgorithm()).isEqualTo("EC");
    Duration validity = Duration.between(server.getNotBefore().toInstant(), server.getNotAfter().toInstant());
    assertThat(validity.toDays()).isEqualTo(365);
  }

  @Test
  void keepsTheCaKeyForItsOwnerOnlyAndTheServerKeyInMemoryOnly() throws Exception {
    LocalCertificateAuthority.create(dir, List.of("localhost"), List.of());

    assertThat(permissions(dir)).isEqualTo("rwx------");
    assertThat(permissions(dir.resolve("ca.p12"))).isEqualTo("rw-------");
    assertThat(permissions(dir.resolve("ca.password"))).isEqualTo("rw-------");
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrder("ca.crt", "ca.p12", "ca.password", ".lock");
    }
  }

  @Test
  void aSecondStartKeepsTheCaAndIssuesANewServerCertificate() throws Exception {
    LocalTls first = LocalCertificateAuthority.create(dir, List.of("localhost"), List.of("127.0.0.1"));
    String trusted = Files.readString(first.caCertificate());

    LocalTls second = LocalCertificateAuthority.create(dir, List.of("localhost"), List.of("127.0.0.1"));

    assertThat(Files.readString(second.caCertificate())).isEqualTo(trusted);
    assertThat(TestCertificates.leaf(second.server()).getSerialNumber())
        .isNotEqualTo(TestCertificates.leaf(first.server()).getSerialNumber());
  }

  @Test
  void aCaThatCannotBeOpenedIsReplaced() throws Exception {
    LocalTls first = LocalCertificateAuthority.create(dir, List.of("localhost"), List.of());
    String old = Files.readString(first.caCertificate());
    Files.writeString(dir.resolve("ca.password"), "not the password");

    LocalTls second = LocalCertificateAuthority.create(dir, List.of("localhost"), List.of());

    assertThat(Files.readString(second.caCertificate())).isNotEqualTo(old);
    TestCertificates.leaf(second.server()).verify(PemFiles.certificates(second.caCertificate()).get(0).getPublicKey());
  }

  @Test
  void aCaAboutToExpireIsReplaced() throws Exception {
    char[] password = "a-password".toCharArray();
    OwnerOnlyFiles.writeSecret(dir.resolve("ca.password"), password);
    Keytool.run(Map.of("P", password), null, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-dname", "CN=old CA",
        "-validity", "10", "-ext", "bc:c=ca:true", "-keystore", dir.resolve("ca.p12").toString(),
        "-storetype", "PKCS12", "-storepass:env", "P");

    LocalTls tls = LocalCertificateAuthority.create(dir, List.of("localhost"), List.of());

    X509Certificate ca = PemFiles.certificates(tls.caCertificate()).get(0);
    assertThat(ca.getSubjectX500Principal().getName()).startsWith("CN=dbt-platform local CA");
    assertThat(ca.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(4 * 365)));
  }

  @Test
  void refusesNamesThatAreNotNames() {
    assertThatThrownBy(() -> LocalCertificateAuthority.create(dir, List.of("localhost,ip:10.0.0.1"), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("not a DNS name: localhost,ip:10.0.0.1");
    assertThatThrownBy(() -> LocalCertificateAuthority.create(dir, List.of(), List.of("localhost")))
        .hasMessage("not an IP address: localhost");
    assertThatThrownBy(() -> LocalCertificateAuthority.create(dir, List.of(), List.of()))
        .hasMessageContaining("at least one DNS name or IP address");
  }

  private static String permissions(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
