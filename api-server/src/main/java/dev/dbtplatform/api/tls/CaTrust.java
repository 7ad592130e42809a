package dev.dbtplatform.api.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** For clients of a server with a private CA: an SSL context that trusts the CAs of one PEM file and nothing else. */
public final class CaTrust {
  private CaTrust() {}

  /** Hostnames are still verified by the client (Java's HttpClient does) against the certificate's names. */
  public static SSLContext sslContext(Path caCertificatesPem) {
    List<X509Certificate> authorities = PemFiles.certificates(caCertificatesPem);
    try {
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      for (int i = 0; i < authorities.size(); i++) {
        trusted.setCertificateEntry("ca-" + i, authorities.get(i));
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot make an SSL context trusting " + caCertificatesPem + ": " + e.getMessage(), e);
    }
  }
}
