package dev.dbtplatform.api.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API server's key and certificate chain from files, checked and copied into an in-memory
 * key store (see {@link ServerKeyStore}).
 *
 * <p>Errors ({@link TlsFileException}): a file that cannot be read, no certificate, no key or a
 * key in a format the JDK does not read, a key that does not belong to the first certificate.
 * Warnings, logged and not fatal: an expired or not yet valid certificate, a chain out of order.
 * The server starts with a dated certificate rather than not at all; clients refuse it, and the
 * log says why.
 */
public final class TlsFiles {
  private static final Logger LOG = LoggerFactory.getLogger(TlsFiles.class);

  private TlsFiles() {}

  /**
   * The files of a Kubernetes {@code kubernetes.io/tls} Secret.
   *
   * @param certificateChainPem {@code tls.crt}: the server's certificate first, then its intermediates
   * @param privateKeyPem {@code tls.key}: the key, unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}), RSA or EC
   */
  public static TlsMaterial fromPem(Path certificateChainPem, Path privateKeyPem) {
    List<X509Certificate> chain = PemFiles.certificates(certificateChainPem);
    PrivateKey key = PemFiles.privateKey(privateKeyPem);
    return checked(key, chain, privateKeyPem.toString(), certificateChainPem.toString());
  }

  /**
   * A PKCS#12 file ({@code .p12}, {@code .pfx}) holding exactly one private key with its chain.
   * The key's password must be the store's, as openssl and keytool make them.
   */
  public static TlsMaterial fromPkcs12(Path keyStore, char[] password) {
    KeyStore store = load(keyStore, password);
    try {
      List<String> keyAliases = new ArrayList<>();
      for (String alias : Collections.list(store.aliases())) {
        if (store.isKeyEntry(alias)) {
          keyAliases.add(alias);
        }
      }
      if (keyAliases.size() != 1) {
        throw new TlsFileException(keyStore + " holds " + keyAliases.size() + " private keys" + (keyAliases.isEmpty()
            ? "" : " (" + String.join(", ", keyAliases) + ")") + "; the server needs exactly one");
      }
      String alias = keyAliases.get(0);
      Key key = store.getKey(alias, password);
      Certificate[] chain = store.getCertificateChain(alias);
      if (!(key instanceof PrivateKey privateKey) || chain == null || chain.length == 0) {
        throw new TlsFileException("the key " + alias + " in " + keyStore + " has no certificate");
      }
      List<X509Certificate> certificates = new ArrayList<>();
      for (Certificate c : chain) {
        certificates.add((X509Certificate) c);
      }
      return checked(privateKey, certificates, keyStore.toString(), keyStore.toString());
    } catch (UnrecoverableKeyException e) {
      throw new TlsFileException("the private key in " + keyStore + " has a password other than the store's;"
          + " export it again with one password for both", e);
    } catch (GeneralSecurityException e) {
      throw new TlsFileException("cannot read the key in " + keyStore + ": " + e.getMessage(), e);
    }
  }

  private static KeyStore load(Path file, char[] password) {
    PemFiles.read(file, "PKCS#12 file"); // the same messages for a missing or unreadable file
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
      return store;
    } catch (IOException e) {
      // The JDK reports a wrong password as an IOException caused by UnrecoverableKeyException.
      String reason = e.getCause() instanceof UnrecoverableKeyException
          ? "the password is wrong" : "it is not a PKCS#12 file or it is damaged (" + e.getMessage() + ")";
      throw new TlsFileException("cannot open the PKCS#12 file " + file + ": " + reason, e);
    } catch (GeneralSecurityException e) {
      throw new TlsFileException("cannot open the PKCS#12 file " + file + ": " + e.getMessage(), e);
    }
  }

  private static TlsMaterial checked(PrivateKey key, List<X509Certificate> chain, String keySource, String chainSource) {
    CertificateChecks.requireKeyMatches(key, chain, keySource, chainSource);
    for (String warning : CertificateChecks.warnings(chain, Instant.now(), chainSource)) {
      LOG.warn("TLS: {}", warning);
    }
    return ServerKeyStore.of(key, chain);
  }
}
