package dev.dbtplatform.api.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Certificates and private keys from PEM files, with messages that say what is wrong and how to fix it. */
final class PemFiles {
  private static final Set<String> LEGACY_KEY_LABELS = Set.of("RSA PRIVATE KEY", "EC PRIVATE KEY");
  private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC");

  private PemFiles() {}

  /** Every CERTIFICATE block of the file, in order. */
  static List<X509Certificate> certificates(Path file) {
    String text = read(file, "certificate file");
    List<X509Certificate> certificates = new ArrayList<>();
    int n = 0;
    for (Pem.Block block : Pem.blocks(text)) {
      if (!block.label().equals("CERTIFICATE")) {
        continue;
      }
      n++;
      try {
        certificates.add((X509Certificate) x509().generateCertificate(new ByteArrayInputStream(block.der())));
      } catch (CertificateException | IllegalArgumentException e) {
        throw new TlsFileException("certificate " + n + " in " + file + " cannot be parsed: " + e.getMessage(), e);
      }
    }
    if (certificates.isEmpty()) {
      throw new TlsFileException("no certificate in " + file + ": expected PEM blocks starting with"
          + " -----BEGIN CERTIFICATE-----" + derHint(text, file));
    }
    return certificates;
  }

  /** The one unencrypted PKCS#8 key ("BEGIN PRIVATE KEY", RSA or EC) of the file. */
  static PrivateKey privateKey(Path file) {
    List<Pem.Block> blocks = Pem.blocks(read(file, "private key file"));
    List<Pem.Block> keys = blocks.stream().filter(b -> b.label().endsWith("PRIVATE KEY")).toList();
    if (keys.isEmpty()) {
      boolean certificatesOnly = blocks.stream().anyMatch(b -> b.label().equals("CERTIFICATE"));
      throw new TlsFileException("no private key in " + file + (certificatesOnly
          ? ": it holds certificates; were the certificate and key files swapped?"
          : ": expected a PEM block starting with -----BEGIN PRIVATE KEY-----"));
    }
    if (keys.size() > 1) {
      throw new TlsFileException(file + " holds " + keys.size() + " private keys; the server needs exactly one");
    }
    Pem.Block key = keys.get(0);
    if (LEGACY_KEY_LABELS.contains(key.label())) {
      throw new TlsFileException(file + " holds a " + key.label().replace(" PRIVATE KEY", "")
          + " key in the legacy format (-----BEGIN " + key.label() + "-----); the server reads PKCS#8 keys"
          + " (-----BEGIN PRIVATE KEY-----). Convert it with: " + toPkcs8Command(file)
          + " (with cert-manager, set spec.privateKey.encoding: PKCS8 on the Certificate)");
    }
    if (key.label().equals("ENCRYPTED PRIVATE KEY")) {
      throw new TlsFileException(file + " holds an encrypted key; the server reads unencrypted PKCS#8 keys"
          + " (keep the file secret instead: a Kubernetes Secret mounted read-only). Decrypt it with: "
          + toPkcs8Command(file) + " (it asks for the passphrase)");
    }
    if (!key.label().equals("PRIVATE KEY")) {
      throw new TlsFileException(file + " holds a key of unknown type (-----BEGIN " + key.label()
          + "-----); expected -----BEGIN PRIVATE KEY-----");
    }
    return decodePkcs8(key, file);
  }

  private static PrivateKey decodePkcs8(Pem.Block key, Path file) {
    PKCS8EncodedKeySpec spec;
    try {
      spec = new PKCS8EncodedKeySpec(key.der());
    } catch (IllegalArgumentException e) {
      throw new TlsFileException("the private key in " + file + " is not valid Base64: " + e.getMessage(), e);
    }
    // PKCS#8 names its algorithm inside; asking each factory in turn is the JDK's way to read it.
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // not this algorithm
      }
    }
    throw new TlsFileException("the private key in " + file + " cannot be read: it is neither an RSA nor an EC"
        + " (P-256, P-384, P-521) PKCS#8 key, or it is damaged");
  }

  static String toPkcs8Command(Path file) {
    return "openssl pkcs8 -topk8 -nocrypt -in " + shellWord(file.toString()) + " -out "
        + shellWord(file.resolveSibling("pkcs8-" + file.getFileName()).toString());
  }

  private static String shellWord(String s) {
    return s.matches("[A-Za-z0-9_./+:=-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }

  private static String derHint(String text, Path file) {
    // DER starts with a SEQUENCE tag ('0') and, for anything as long as a certificate, a long-form length byte.
    boolean der = text.length() > 1 && text.charAt(0) == 0x30 && text.charAt(1) >= 0x80;
    return der ? " (it looks like binary DER; convert it with: openssl x509 -inform der -in " + shellWord(file.toString())
        + " -out " + shellWord(file + ".pem") + ")" : "";
  }

  /** Reads as Latin-1 so that any byte reads; PEM itself is ASCII. */
  static String read(Path file, String what) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw new TlsFileException("cannot read the " + what + " " + file + ": it does not exist", e);
    } catch (AccessDeniedException e) {
      throw new TlsFileException("cannot read the " + what + " " + file + ": permission denied for user "
          + System.getProperty("user.name"), e);
    } catch (IOException e) {
      throw new TlsFileException("cannot read the " + what + " " + file + ": " + e.getMessage(), e);
    }
  }

  private static CertificateFactory x509() {
    try {
      return CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("this JDK has no X.509 support", e);
    }
  }
}
