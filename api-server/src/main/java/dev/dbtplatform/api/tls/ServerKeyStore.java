package dev.dbtplatform.api.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

/**
 * The key store the HTTPS connector reads, built in memory: nothing is written to disk and its
 * password is random, made for this process only.
 */
final class ServerKeyStore {
  static final String ALIAS = "server";

  private ServerKeyStore() {}

  static TlsMaterial of(PrivateKey key, List<X509Certificate> chain) {
    char[] password = RandomPassword.create();
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(ALIAS, key, password, chain.toArray(new Certificate[0]));
      return new TlsMaterial(store, password);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the in-memory key store: " + e.getMessage(), e);
    } finally {
      Arrays.fill(password, '\0'); // TlsMaterial keeps its own copy
    }
  }
}
