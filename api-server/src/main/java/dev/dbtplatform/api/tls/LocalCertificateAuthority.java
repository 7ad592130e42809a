package dev.dbtplatform.api.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A certificate authority of one's own, for HTTPS on a developer's machine and in tests: a CA
 * that users trust once ({@code ca.crt}), and a fresh server certificate from it at each start.
 *
 * <p>In {@code dir}: {@code ca.crt} (PEM, the CA's certificate; what clients trust),
 * {@code ca.p12} (the CA's key) and {@code ca.password} (its random password), both rw-------
 * in an rwx------ folder. A CA found there is used again while it is valid for another
 * {@value #MIN_REMAINING_DAYS} days, so whoever trusted it keeps trusting; otherwise a new one
 * replaces it. The server's key never touches the disk after it is made: it lives in memory,
 * in the returned {@link TlsMaterial}.
 *
 * <p>Made with the JDK's keytool (see {@link Keytool}), as EC P-256 keys with SHA-256 ECDSA
 * signatures, which Java, OpenSSL (Python's ssl, curl) and browsers all accept. The CA has
 * basicConstraints CA:true (critical, pathlen 0) and keyUsage keyCertSign, cRLSign; the server
 * certificate subjectAltName DNS and IP entries, keyUsage digitalSignature (EC keys sign; they do
 * not encipher), extendedKeyUsage serverAuth and an authority key identifier, which is what
 * OpenSSL's strict verification (Python 3.13's default) requires.
 */
public final class LocalCertificateAuthority {
  public static final String CA_CERTIFICATE = "ca.crt";
  static final String CA_KEY_STORE = "ca.p12";
  static final String CA_PASSWORD = "ca.password";
  static final String CA_ALIAS = "ca";
  static final int CA_VALIDITY_DAYS = 5 * 365;
  static final int SERVER_VALIDITY_DAYS = 365;
  static final int MIN_REMAINING_DAYS = 30;

  private static final Logger LOG = LoggerFactory.getLogger(LocalCertificateAuthority.class);
  private static final String CA_PASSWORD_ENV = "DBT_PLATFORM_CA_STOREPASS";
  private static final String SERVER_PASSWORD_ENV = "DBT_PLATFORM_SERVER_STOREPASS";
  private static final String SERVER_KEY_STORE = "server.p12";
  private static final String[] EC_P256 = {"-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA"};
  /** Two callers in one JVM; the file lock keeps out other processes (a test run next to `make run`). */
  private static final Object IN_PROCESS = new Object();

  private LocalCertificateAuthority() {}

  /** The CA's key store and certificate, found or made. */
  private record Authority(Path keyStore, char[] password, X509Certificate certificate) {}

  /**
   * @param dir where the CA lives; made if missing
   * @param dnsNames names the server certificate is for, like {@code localhost}
   * @param ipAddresses addresses it is for, like {@code 127.0.0.1}
   */
  public static LocalTls create(Path dir, List<String> dnsNames, List<String> ipAddresses) {
    SubjectAltNames names = new SubjectAltNames(dnsNames, ipAddresses);
    Path folder = dir.toAbsolutePath().normalize();
    synchronized (IN_PROCESS) {
      OwnerOnlyFiles.createDirectory(folder);
      try (FileChannel lockFile = FileChannel.open(folder.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
           FileLock ignored = lockFile.lock()) {
        Authority ca = existing(folder).orElseGet(() -> createAuthority(folder));
        try {
          writeCaCertificate(folder, ca.certificate());
          return new LocalTls(issueServerCertificate(folder, ca, names), folder.resolve(CA_CERTIFICATE));
        } finally {
          Arrays.fill(ca.password(), '\0');
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot lock " + folder, e);
      }
    }
  }

  /** The CA in the folder if it can be used for a while yet; why not, otherwise, in the log. */
  private static Optional<Authority> existing(Path dir) {
    Path keyStore = dir.resolve(CA_KEY_STORE);
    if (!Files.exists(keyStore)) {
      return Optional.empty();
    }
    char[] password = null;
    try (InputStream in = Files.newInputStream(keyStore)) {
      password = OwnerOnlyFiles.readSecret(dir.resolve(CA_PASSWORD));
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
      X509Certificate certificate = (X509Certificate) store.getCertificate(CA_ALIAS);
      if (certificate == null || !store.isKeyEntry(CA_ALIAS)) {
        LOG.warn("replacing the local CA in {}: {} has no CA key; clients must trust the new {}", dir, keyStore, CA_CERTIFICATE);
        return Optional.empty();
      }
      Instant usableUntil = certificate.getNotAfter().toInstant().minus(Duration.ofDays(MIN_REMAINING_DAYS));
      if (Instant.now().isAfter(usableUntil)) {
        LOG.warn("replacing the local CA in {}: it expires {}; clients must trust the new {}", dir,
            certificate.getNotAfter().toInstant(), CA_CERTIFICATE);
        return Optional.empty();
      }
      return Optional.of(new Authority(keyStore, password, certificate));
    } catch (IOException | GeneralSecurityException e) {
      LOG.warn("replacing the local CA in {}: cannot open it ({}); clients must trust the new {}", dir, e.getMessage(),
          CA_CERTIFICATE);
      return Optional.empty();
    }
  }

  private static Authority createAuthority(Path dir) {
    Path keyStore = dir.resolve(CA_KEY_STORE);
    try {
      Files.deleteIfExists(keyStore);
      Files.deleteIfExists(dir.resolve(CA_CERTIFICATE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot replace the CA in " + dir, e);
    }
    char[] password = RandomPassword.create();
    OwnerOnlyFiles.writeSecret(dir.resolve(CA_PASSWORD), password);
    Keytool.run(Map.of(CA_PASSWORD_ENV, password), null, concat(new String[] {"-genkeypair", "-alias", CA_ALIAS},
        EC_P256, "-dname", caName(), "-validity", String.valueOf(CA_VALIDITY_DAYS),
        "-ext", "bc:c=ca:true,pathlen:0", "-ext", "ku:c=keyCertSign,cRLSign",
        "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass:env", CA_PASSWORD_ENV));
    OwnerOnlyFiles.restrictFile(keyStore);
    Authority ca = existing(dir).orElseThrow(() -> new IllegalStateException("keytool made no usable CA in " + dir));
    LOG.info("made a local certificate authority in {}; clients trust it through {}", dir, CA_CERTIFICATE);
    return ca;
  }

  /** A name that tells one developer's CA from another's in a trust store. */
  private static String caName() {
    String user = System.getProperty("user.name", "").replaceAll("[^A-Za-z0-9._-]", "");
    return "CN=dbt-platform local CA" + (user.isEmpty() ? "" : " for " + user) + " " + LocalDate.now(ZoneOffset.UTC)
        + ", O=dbt-platform development";
  }

  private static void writeCaCertificate(Path dir, X509Certificate certificate) {
    try {
      String pem = Pem.encode("CERTIFICATE", certificate.getEncoded());
      Path file = dir.resolve(CA_CERTIFICATE);
      if (!Files.exists(file) || !Files.readString(file, StandardCharsets.US_ASCII).equals(pem)) {
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot write " + dir.resolve(CA_CERTIFICATE) + ": " + e.getMessage(), e);
    }
  }

  /**
   * keytool makes the key pair in a key store of its own, then a signing request for it, which
   * the CA signs. The key store is read back and deleted.
   */
  private static TlsMaterial issueServerCertificate(Path dir, Authority ca, SubjectAltNames names) {
    Path keyStore = dir.resolve(SERVER_KEY_STORE);
    char[] password = RandomPassword.create();
    Map<String, char[]> passwords = Map.of(SERVER_PASSWORD_ENV, password, CA_PASSWORD_ENV, ca.password());
    try {
      Files.deleteIfExists(keyStore);
      Keytool.run(passwords, null, concat(new String[] {"-genkeypair", "-alias", "server"}, EC_P256,
          "-dname", "CN=" + names.commonName(), "-keystore", keyStore.toString(), "-storetype", "PKCS12",
          "-storepass:env", SERVER_PASSWORD_ENV));
      byte[] request = Keytool.run(passwords, null, "-certreq", "-alias", "server", "-keystore", keyStore.toString(),
          "-storepass:env", SERVER_PASSWORD_ENV);
      byte[] signed = Keytool.run(passwords, request, "-gencert", "-rfc", "-alias", CA_ALIAS,
          "-keystore", ca.keyStore().toString(), "-storepass:env", CA_PASSWORD_ENV, "-sigalg", "SHA256withECDSA",
          "-validity", String.valueOf(serverValidityDays(ca.certificate())),
          "-ext", names.keytoolExtension(), "-ext", "ku:c=digitalSignature", "-ext", "eku=serverAuth",
          "-ext", "bc:c=ca:false");
      X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(signed));
      return ServerKeyStore.of(readKey(keyStore, password), List.of(certificate, ca.certificate()));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot issue the server certificate in " + dir + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(keyStore);
      Arrays.fill(password, '\0');
    }
  }

  /** A year, or what is left of the CA's life: a certificate must not outlive its issuer. */
  private static int serverValidityDays(X509Certificate ca) {
    long caDaysLeft = Duration.between(Instant.now(), ca.getNotAfter().toInstant()).toDays();
    return (int) Math.max(1, Math.min(SERVER_VALIDITY_DAYS, caDaysLeft));
  }

  private static PrivateKey readKey(Path keyStore, char[] password) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(keyStore)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
      return (PrivateKey) store.getKey("server", password);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", file, e.getMessage());
    }
  }

  private static String[] concat(String[] first, String[] second, String... rest) {
    String[] all = Arrays.copyOf(first, first.length + second.length + rest.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    System.arraycopy(rest, 0, all, first.length + second.length, rest.length);
    return all;
  }
}
