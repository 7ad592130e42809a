package dev.dbtplatform.api.tls;

import java.security.KeyStore;
import java.util.Arrays;

/**
 * The server's private key and certificate chain, in a key store with the password that opens
 * the key. The password is never printed.
 */
public record TlsMaterial(KeyStore keyStore, char[] password) {
  public TlsMaterial {
    password = password.clone();
  }

  @Override
  public char[] password() {
    return password.clone();
  }

  @Override
  public String toString() {
    return "TlsMaterial[" + keyStore.getType() + ", password ***]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TlsMaterial t && t.keyStore == keyStore && Arrays.equals(t.password, password);
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(keyStore);
  }
}
