/**
 * HTTPS for the API server: dbt Cloud clients (the Airflow provider, prefect-dbt, dbt-cloud-cli)
 * speak nothing else.
 *
 * <ul>
 *   <li>{@link dev.dbtplatform.api.tls.TlsFiles}: in a cluster, the key and certificate come from
 *       files, the shape of a {@code kubernetes.io/tls} Secret (cert-manager's, or one's own) or a
 *       PKCS#12 file. Only unencrypted PKCS#8 PEM keys are read: it is the one key format the JDK
 *       decodes without a third-party library, and the error for PKCS#1 and SEC1 keys gives the
 *       openssl command that converts them. A wrong key stops the server; an expired
 *       certificate is logged as a warning and served, so that a late renewal does not take the
 *       API down with it.</li>
 *   <li>{@link dev.dbtplatform.api.tls.LocalCertificateAuthority}: on a developer's machine and in
 *       tests, a CA of one's own that is trusted once and kept, and a fresh server certificate
 *       from it at every start. Made with the JDK's keytool rather than BouncyCastle: no new
 *       dependency, and keytool writes the extensions strict verifiers (OpenSSL's X509_STRICT,
 *       Python 3.13's default) ask for.</li>
 *   <li>{@link dev.dbtplatform.api.tls.CaTrust}: the client side, an SSL context that trusts one
 *       CA file only.</li>
 * </ul>
 *
 * <p>Either way the server gets a {@link dev.dbtplatform.api.tls.TlsMaterial}: a key store built
 * in memory with a random password, so that no key is written anywhere by the server and no
 * password has to be configured. Certificates are read once, at start: a renewed Secret takes
 * effect when the pod restarts.
 */
package dev.dbtplatform.api.tls;
