package dev.dbtplatform.api.tls;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What is checked before a key and chain are served: a wrong key is an error, a dated certificate a warning. */
final class CertificateChecks {
  private CertificateChecks() {}

  /**
   * Fails unless the key belongs to the first certificate. Proven by signing and verifying,
   * which works the same for every key type.
   */
  static void requireKeyMatches(PrivateKey key, List<X509Certificate> chain, String keySource, String chainSource) {
    if (matches(key, chain.get(0))) {
      return;
    }
    for (int i = 1; i < chain.size(); i++) {
      if (matches(key, chain.get(i))) {
        throw new TlsFileException("the private key in " + keySource + " belongs to certificate " + (i + 1) + " of "
            + chainSource + ", not the first: list the server's certificate first, then its intermediates");
      }
    }
    throw new TlsFileException("the private key in " + keySource + " does not match the certificate in " + chainSource
        + " (" + chain.get(0).getSubjectX500Principal() + "): use the key the certificate was issued for");
  }

  private static boolean matches(PrivateKey key, X509Certificate certificate) {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> throw new TlsFileException("unsupported key type " + key.getAlgorithm() + ": use an RSA or EC key");
    };
    byte[] challenge = new byte[32];
    new SecureRandom().nextBytes(challenge);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // e.g. an EC certificate for an RSA key
    }
  }

  /**
   * What clients will object to but that should not stop the server: a dated certificate is
   * better than no API while a renewal is on its way, and the message says what to fix.
   */
  static List<String> warnings(List<X509Certificate> chain, Instant now, String chainSource) {
    List<String> warnings = new ArrayList<>();
    for (int i = 0; i < chain.size(); i++) {
      X509Certificate c = chain.get(i);
      String which = "certificate " + (i + 1) + " of " + chainSource + " (" + c.getSubjectX500Principal() + ")";
      if (now.isAfter(c.getNotAfter().toInstant())) {
        warnings.add(which + " expired at " + c.getNotAfter().toInstant() + "; clients will refuse it: renew it");
      } else if (now.isBefore(c.getNotBefore().toInstant())) {
        warnings.add(which + " is not valid before " + c.getNotBefore().toInstant()
            + "; clients will refuse it until then: check the clocks");
      }
      if (i + 1 < chain.size() && !c.getIssuerX500Principal().equals(chain.get(i + 1).getSubjectX500Principal())) {
        warnings.add(which + " was not issued by the certificate after it; clients may not build the chain:"
            + " list the server's certificate first, then each intermediate in order");
      }
    }
    return warnings;
  }
}
