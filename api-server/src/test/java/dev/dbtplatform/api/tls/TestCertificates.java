package dev.dbtplatform.api.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Keys and certificates for the tests, made with keytool and written as the files a server is given. */
final class TestCertificates {
  static final char[] PASSWORD = "test-password".toCharArray();
  private static final String PASSWORD_ENV = "TEST_STOREPASS";

  private TestCertificates() {}

  /** A self-signed RSA key and certificate for localhost in a PKCS#12 file with {@link #PASSWORD}. */
  static Path rsaKeyStore(Path dir, String name, String... extraKeytoolArgs) {
    Path store = dir.resolve(name + ".p12");
    List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048",
        "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1", "-keystore", store.toString(),
        "-storetype", "PKCS12", "-storepass:env", PASSWORD_ENV));
    args.addAll(List.of(extraKeytoolArgs));
    Keytool.run(Map.of(PASSWORD_ENV, PASSWORD), null, args.toArray(new String[0]));
    return store;
  }

  /** Adds another key pair to a key store: a store with two keys. */
  static void addRsaKey(Path store, String alias) {
    Keytool.run(Map.of(PASSWORD_ENV, PASSWORD), null, "-genkeypair", "-alias", alias, "-keyalg", "RSA",
        "-dname", "CN=" + alias, "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass:env", PASSWORD_ENV);
  }

  static KeyStore load(Path store, char[] password) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, password);
      return ks;
    }
  }

  /** The one key entry of a key store. */
  static PrivateKey key(KeyStore store, char[] password) throws GeneralSecurityException {
    return (PrivateKey) store.getKey(keyAlias(store), password);
  }

  static List<X509Certificate> chain(KeyStore store) throws GeneralSecurityException {
    return Arrays.stream(store.getCertificateChain(keyAlias(store))).map(c -> (X509Certificate) c).toList();
  }

  static X509Certificate leaf(TlsMaterial tls) throws GeneralSecurityException {
    return chain(tls.keyStore()).get(0);
  }

  private static String keyAlias(KeyStore store) throws GeneralSecurityException {
    for (String alias : java.util.Collections.list(store.aliases())) {
      if (store.isKeyEntry(alias)) {
        return alias;
      }
    }
    throw new IllegalStateException("no key entry");
  }

  /** tls.key of a Kubernetes TLS Secret: unencrypted PKCS#8, which is what Key.getEncoded() is. */
  static Path writeKey(Path file, PrivateKey key) throws IOException {
    return Files.writeString(file, Pem.encode("PRIVATE KEY", key.getEncoded()));
  }

  /** tls.crt: the certificates in the order given, with openssl's subject/issuer lines in between as some tools write them. */
  static Path writeChain(Path file, List<? extends Certificate> chain) throws IOException, GeneralSecurityException {
    StringBuilder pem = new StringBuilder();
    for (Certificate c : chain) {
      X509Certificate x = (X509Certificate) c;
      pem.append("subject=").append(x.getSubjectX500Principal()).append('\n')
          .append("issuer=").append(x.getIssuerX500Principal()).append('\n')
          .append(Pem.encode("CERTIFICATE", c.getEncoded()));
    }
    return Files.writeString(file, pem);
  }
}
