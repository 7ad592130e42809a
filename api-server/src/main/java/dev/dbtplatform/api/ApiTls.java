package dev.dbtplatform.api;

import dev.dbtplatform.api.tls.TlsFiles;
import dev.dbtplatform.api.tls.TlsMaterial;
import java.nio.file.Path;
import java.util.Map;

/**
 * The server's certificate from the environment: a PEM pair (the tls.crt and tls.key of a
 * Kubernetes TLS Secret) or a PKCS#12 key store. Neither means plain HTTP, for a deployment
 * behind an ingress that terminates TLS.
 */
final class ApiTls {
  static final String CERT = "DBT_PLATFORM_API_TLS_CERT";
  static final String KEY = "DBT_PLATFORM_API_TLS_KEY";
  static final String KEYSTORE = "DBT_PLATFORM_API_TLS_KEYSTORE";
  static final String KEYSTORE_PASSWORD = "DBT_PLATFORM_API_TLS_KEYSTORE_PASSWORD";

  private ApiTls() {}

  static TlsMaterial fromEnv(Map<String, String> env) {
    String cert = blankToNull(env.get(CERT));
    String key = blankToNull(env.get(KEY));
    String keyStore = blankToNull(env.get(KEYSTORE));
    if (keyStore != null) {
      if (cert != null || key != null) {
        throw new IllegalArgumentException("set either " + KEYSTORE + " or " + CERT + " and " + KEY + ", not both");
      }
      return TlsFiles.fromPkcs12(Path.of(keyStore), env.getOrDefault(KEYSTORE_PASSWORD, "").toCharArray());
    }
    if (cert == null && key == null) {
      return null;
    }
    if (cert == null || key == null) {
      throw new IllegalArgumentException("set both " + CERT + " and " + KEY + " (PEM files) to serve HTTPS");
    }
    return TlsFiles.fromPem(Path.of(cert), Path.of(key));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
