package dev.dbtplatform.api.http;

import dev.dbtplatform.api.tls.TlsMaterial;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** The HTTPS connector the server listens on when it has a key and certificate: TLS 1.2 and 1.3 only. */
final class TlsConnector {
  private TlsConnector() {}

  static Connector create(Server server, HttpConfiguration http, String host, int port, TlsMaterial tls) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(tls.keyStore());
    ssl.setKeyStorePassword(new String(tls.password()));
    ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
    // clients reach the API by many names (ingress hosts, IPs); the certificate's SAN is the operator's concern
    ssl.setSniRequired(false);
    HttpConfiguration https = new HttpConfiguration(http);
    SecureRequestCustomizer customizer = new SecureRequestCustomizer();
    customizer.setSniHostCheck(false);
    https.addCustomizer(customizer);
    ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
        new HttpConnectionFactory(https));
    connector.setHost(host);
    connector.setPort(port);
    return connector;
  }
}
