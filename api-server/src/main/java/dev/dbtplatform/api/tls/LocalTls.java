package dev.dbtplatform.api.tls;

import java.nio.file.Path;

/**
 * What {@link LocalCertificateAuthority} made.
 *
 * @param server the server's key and certificate chain, for {@code ApiServerSettings.withTls}
 * @param caCertificate the CA's certificate (PEM): what clients trust
 */
public record LocalTls(TlsMaterial server, Path caCertificate) {}
