package dev.dbtplatform.api.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsFilesTest {
  @TempDir
  static Path shared;
  @TempDir
  Path dir;

  /** An EC server key and chain [server, CA] from the local CA, as a TLS Secret's files would hold them. */
  static PrivateKey serverKey;
  static List<X509Certificate> serverChain;
  /** The key of another server certificate from another CA: the same type, not the same key. */
  static PrivateKey otherKey;

  @BeforeAll
  static void makeCertificates() throws Exception {
    TlsMaterial server = LocalCertificateAuthority.create(shared.resolve("ca"), List.of("localhost"), List.of("127.0.0.1")).server();
    serverKey = TestCertificates.key(server.keyStore(), server.password());
    serverChain = TestCertificates.chain(server.keyStore());
    TlsMaterial other = LocalCertificateAuthority.create(shared.resolve("other-ca"), List.of("localhost"), List.of()).server();
    otherKey = TestCertificates.key(other.keyStore(), other.password());
  }

  @Test
  void readsTheFilesOfAKubernetesTlsSecret() throws Exception {
    Path crt = TestCertificates.writeChain(dir.resolve("tls.crt"), serverChain);
    Path key = TestCertificates.writeKey(dir.resolve("tls.key"), serverKey);

    TlsMaterial tls = TlsFiles.fromPem(crt, key);

    KeyStore store = tls.keyStore();
    assertThat(TestCertificates.chain(store)).containsExactlyElementsOf(serverChain);
    assertThat(TestCertificates.key(store, tls.password()).getEncoded()).isEqualTo(serverKey.getEncoded());
    assertThat(tls.toString()).doesNotContain(new String(tls.password()));
  }

  @Test
  void readsAnRsaKey() throws Exception {
    KeyStore rsa = TestCertificates.load(TestCertificates.rsaKeyStore(dir, "rsa"), TestCertificates.PASSWORD);
    Path crt = TestCertificates.writeChain(dir.resolve("tls.crt"), TestCertificates.chain(rsa));
    Path key = TestCertificates.writeKey(dir.resolve("tls.key"), TestCertificates.key(rsa, TestCertificates.PASSWORD));

    TlsMaterial tls = TlsFiles.fromPem(crt, key);

    assertThat(TestCertificates.key(tls.keyStore(), tls.password()).getAlgorithm()).isEqualTo("RSA");
  }

  @Test
  void theSameFileMayHoldCertificatesAndKey() throws Exception {
    Path both = TestCertificates.writeChain(dir.resolve("server.pem"), serverChain);
    Files.writeString(both, Files.readString(TestCertificates.writeKey(dir.resolve("k"), serverKey)),
        java.nio.file.StandardOpenOption.APPEND);

    assertThat(TestCertificates.chain(TlsFiles.fromPem(both, both).keyStore())).hasSize(2);
  }

  @Test
  void refusesAKeyOfAnotherCertificate() throws Exception {
    Path crt = TestCertificates.writeChain(dir.resolve("tls.crt"), serverChain);
    Path key = TestCertificates.writeKey(dir.resolve("tls.key"), otherKey);

    assertThatThrownBy(() -> TlsFiles.fromPem(crt, key))
        .isInstanceOf(TlsFileException.class)
        .hasMessageContaining("the private key in " + key + " does not match the certificate in " + crt)
        .hasMessageContaining("CN=localhost");
  }

  @Test
  void refusesAKeyOfAnotherType() throws Exception {
    KeyStore rsa = TestCertificates.load(TestCertificates.rsaKeyStore(dir, "rsa"), TestCertificates.PASSWORD);
    Path crt = TestCertificates.writeChain(dir.resolve("tls.crt"), serverChain);
    Path key = TestCertificates.writeKey(dir.resolve("tls.key"), TestCertificates.key(rsa, TestCertificates.PASSWORD));

    assertThatThrownBy(() -> TlsFiles.fromPem(crt, key)).hasMessageContaining("does not match the certificate");
  }

  @Test
  void saysWhenTheServerCertificateIsNotFirst() throws Exception {
    Path crt = TestCertificates.writeChain(dir.resolve("tls.crt"), List.of(serverChain.get(1), serverChain.get(0)));
    Path key = TestCertificates.writeKey(dir.resolve("tls.key"), serverKey);

    assertThatThrownBy(() -> TlsFiles.fromPem(crt, key))
        .hasMessageContaining("belongs to certificate 2 of " + crt + ", not the first");
  }

  @Test
  void legacyKeyFormatsGetTheCommandThatConvertsThem() throws Exception {
    Path crt = TestCertificates.writeChain(dir.resolve("tls.crt"), serverChain);
    for (String label : List.of("RSA PRIVATE KEY", "EC PRIVATE KEY")) {
      // What openssl genrsa -traditional and cert-manager's default PKCS1 encoding write.
      Path key = Files.writeString(dir.resolve("tls.key"), Pem.encode(label, serverKey.getEncoded()));

      assertThatThrownBy(() -> TlsFiles.fromPem(crt, key))
          .isInstanceOf(TlsFileException.class)
          .hasMessageContaining("legacy format (-----BEGIN " + label + "-----)")
          .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt -in " + key + " -out " + dir.resolve("pkcs8-tls.key"))
          .hasMessageContaining("spec.privateKey.encoding: PKCS8");
    }
  }

  @Test
  void anEncryptedKeyIsRefusedWithTheCommandThatDecryptsIt() throws Exception {
    Path crt = TestCertificates.writeChain(dir.resolve("tls.crt"), serverChain);
    Path key = Files.writeString(dir.resolve("tls.key"), Pem.encode("ENCRYPTED PRIVATE KEY", new byte[64]));

    assertThatThrownBy(() -> TlsFiles.fromPem(crt, key))
        .hasMessageContaining("encrypted key")
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt -in " + key);
  }

  @Test
  void garbageIsNeitherACertificateNorAKey() throws Exception {
    Path garbage = Files.write(dir.resolve("garbage"), "not a certificate at all\n\u0001\u0002".getBytes());
    Path key = TestCertificates.writeKey(dir.resolve("tls.key"), serverKey);
    Path crt = TestCertificates.writeChain(dir.resolve("tls.crt"), serverChain);

    assertThatThrownBy(() -> TlsFiles.fromPem(garbage, key))
        .isInstanceOf(TlsFileException.class)
        .hasMessage("no certificate in " + garbage + ": expected PEM blocks starting with -----BEGIN CERTIFICATE-----");
    assertThatThrownBy(() -> TlsFiles.fromPem(crt, garbage))
        .hasMessage("no private key in " + garbage + ": expected a PEM block starting with -----BEGIN PRIVATE KEY-----");
  }

  @Test
  void aDamagedKeyOrCertificateSaysSo() throws Exception {
    Path crt = TestCertificates.writeChain(dir.resolve("tls.crt"), serverChain);
    Path key = Files.writeString(dir.resolve("tls.key"), Pem.encode("PRIVATE KEY", new byte[] {1, 2, 3}));
    assertThatThrownBy(() -> TlsFiles.fromPem(crt, key)).hasMessageContaining("neither an RSA nor an EC");

    Path badCrt = Files.writeString(dir.resolve("bad.crt"), Pem.encode("CERTIFICATE", new byte[] {1, 2, 3}));
    assertThatThrownBy(() -> TlsFiles.fromPem(badCrt, key)).hasMessageContaining("certificate 1 in " + badCrt + " cannot be parsed");
  }

  @Test
  void aDerCertificateGetsTheConversionCommand() throws Exception {
    Path der = Files.write(dir.resolve("tls.der"), serverChain.get(0).getEncoded());
    Path key = TestCertificates.writeKey(dir.resolve("tls.key"), serverKey);

    assertThatThrownBy(() -> TlsFiles.fromPem(der, key)).hasMessageContaining("openssl x509 -inform der -in " + der);
  }

  @Test
  void swappedFilesAreNamedAsSuch() throws Exception {
    Path crt = TestCertificates.writeChain(dir.resolve("tls.crt"), serverChain);
    Path key = TestCertificates.writeKey(dir.resolve("tls.key"), serverKey);

    assertThatThrownBy(() -> TlsFiles.fromPem(key, crt)).hasMessageContaining("no certificate in " + key);
    assertThatThrownBy(() -> TlsFiles.fromPem(crt, crt)).hasMessageContaining("were the certificate and key files swapped?");
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = dir.resolve("nope/tls.crt");

    assertThatThrownBy(() -> TlsFiles.fromPem(missing, missing))
        .isInstanceOf(TlsFileException.class)
        .hasMessage("cannot read the certificate file " + missing + ": it does not exist");
    assertThatThrownBy(() -> TlsFiles.fromPkcs12(missing, TestCertificates.PASSWORD))
        .hasMessage("cannot read the PKCS#12 file " + missing + ": it does not exist");
  }

  @Test
  void anExpiredCertificateIsServedWithAWarning() throws Exception {
    Path store = TestCertificates.rsaKeyStore(dir, "expired", "-startdate", "-400d", "-validity", "30");
    KeyStore expired = TestCertificates.load(store, TestCertificates.PASSWORD);
    Path crt = TestCertificates.writeChain(dir.resolve("tls.crt"), TestCertificates.chain(expired));
    Path key = TestCertificates.writeKey(dir.resolve("tls.key"), TestCertificates.key(expired, TestCertificates.PASSWORD));

    TlsMaterial tls = TlsFiles.fromPem(crt, key); // logs the warning below

    assertThat(TestCertificates.leaf(tls).getNotAfter().toInstant()).isBefore(Instant.now());
    assertThat(CertificateChecks.warnings(TestCertificates.chain(expired), Instant.now(), crt.toString()))
        .singleElement().asString()
        .startsWith("certificate 1 of " + crt + " (CN=localhost) expired at ")
        .endsWith("clients will refuse it: renew it");
  }

  @Test
  void aChainOutOfOrderIsAWarning() {
    assertThat(CertificateChecks.warnings(List.of(serverChain.get(1), serverChain.get(0)), Instant.now(), "tls.crt"))
        .singleElement().asString().contains("was not issued by the certificate after it");
    assertThat(CertificateChecks.warnings(serverChain, Instant.now(), "tls.crt")).isEmpty();
  }

  @Test
  void readsAPkcs12File() throws Exception {
    Path store = TestCertificates.rsaKeyStore(dir, "server");

    TlsMaterial tls = TlsFiles.fromPkcs12(store, TestCertificates.PASSWORD);

    assertThat(TestCertificates.leaf(tls).getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
    assertThat(tls.password()).isNotEqualTo(TestCertificates.PASSWORD); // its own, random
  }

  @Test
  void aPkcs12FileWithTheWrongPasswordOrTwoKeysIsRefused() {
    Path store = TestCertificates.rsaKeyStore(dir, "server");
    assertThatThrownBy(() -> TlsFiles.fromPkcs12(store, "wrong-password".toCharArray()))
        .isInstanceOf(TlsFileException.class)
        .hasMessage("cannot open the PKCS#12 file " + store + ": the password is wrong");

    TestCertificates.addRsaKey(store, "second");
    assertThatThrownBy(() -> TlsFiles.fromPkcs12(store, TestCertificates.PASSWORD))
        .hasMessageStartingWith(store + " holds 2 private keys (")
        .hasMessageEndingWith("the server needs exactly one");
  }

  @Test
  void aPemFileIsNotAPkcs12File() throws Exception {
    Path crt = TestCertificates.writeChain(dir.resolve("tls.crt"), serverChain);

    assertThatThrownBy(() -> TlsFiles.fromPkcs12(crt, TestCertificates.PASSWORD))
        .hasMessageStartingWith("cannot open the PKCS#12 file " + crt + ": it is not a PKCS#12 file");
  }
}
